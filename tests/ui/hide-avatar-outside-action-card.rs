use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Deploy {service} finished", hide_avatar)]
struct DeployFinished {
    service: String,
}

fn main() {}
