use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "unused")]
struct Common {
    service: String,
}

#[derive(DingMessage)]
#[ding(title = "Deploy started")]
struct DeployStarted {
    version: String,
    #[ding(flatten, raw)]
    common: Common,
}

fn main() {}
