use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(action_card = true, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    #[ding(button = "Approve")]
    approve_url: String,
}

fn main() {}
