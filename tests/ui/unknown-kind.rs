use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(action_crad, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    #[ding(button = "Approve")]
    approve_url: String,
}

fn main() {}
