use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}", button = "Approve")]
struct DeployApproval {
    service: String,
    approve_url: String,
}

fn main() {}
