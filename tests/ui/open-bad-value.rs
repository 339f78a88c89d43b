use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    #[ding(button = "Dashboard", open = "sidepanel")]
    dashboard: String,
}

fn main() {}
