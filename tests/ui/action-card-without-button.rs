use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    approve_url: String,
}

fn main() {}
