use dingbot::DingMessage;

struct Url {
    path: String,
}

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    #[ding(button = "Approve")]
    approve_url: Url,
}

fn main() {}
