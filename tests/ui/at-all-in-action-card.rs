use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}", at_all)]
struct DeployApproval {
    service: String,
    #[ding(button = "Approve")]
    approve_url: String,
}

fn main() {}
