use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Deploy {service}")]
struct DeployDone {
    service: String,
    #[ding(open = "browser")]
    dashboard: String,
}

fn main() {}
