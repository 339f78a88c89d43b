use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    #[ding(buttons)]
    choices: Vec<(String, String)>,
}

fn main() {}
