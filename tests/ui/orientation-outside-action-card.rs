use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Deploy {service}", orientation = "horizontal")]
struct DeployFinished {
    service: String,
}

fn main() {}
