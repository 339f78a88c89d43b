use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Error rate up on {service}")]
struct ErrorRate {
    service: String,
    #[ding(single_button = "Open dashboard")]
    dashboard: String,
}

fn main() {}
