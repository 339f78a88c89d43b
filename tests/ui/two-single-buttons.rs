use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    #[ding(single_button = "Open")]
    details_url: String,
    #[ding(single_button = "Logs")]
    logs_url: String,
}

fn main() {}
