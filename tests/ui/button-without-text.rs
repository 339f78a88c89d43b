use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    #[ding(button)]
    approve_url: String,
}

fn main() {}
