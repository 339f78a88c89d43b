use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(
    action_card,
    title = "Deploy {service}",
    body = "Deploy <i>{service}</i>?",
    button(text = "Approve", url = "https://ci.example.com/deploys/{service}/approve")
)]
struct Deploy {
    service: String,
}

fn main() {}
