use dingbot::DingMessage;

fn upper(url: &String, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.write_str(&url.to_uppercase())
}

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    #[ding(button = "Approve", with = upper)]
    approve_url: String,
}

fn main() {}
