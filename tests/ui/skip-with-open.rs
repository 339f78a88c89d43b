use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    #[ding(button = "Approve")]
    approve_url: String,
    #[ding(skip, open = "browser")]
    dashboard: String,
}

fn main() {}
