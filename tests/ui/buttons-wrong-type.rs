use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    #[ding(buttons)]
    choices: Vec<String>,
}

fn main() {}
