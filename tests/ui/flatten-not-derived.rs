use dingbot::DingMessage;

struct Common {
    service: String,
}

#[derive(DingMessage)]
#[ding(title = "Deploy started")]
struct DeployStarted {
    version: String,
    #[ding(flatten)]
    common: Common,
}

fn main() {}
