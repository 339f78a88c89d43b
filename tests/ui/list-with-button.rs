use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    #[ding(list, button = "Approve")]
    approve_urls: Vec<String>,
}

fn main() {}
