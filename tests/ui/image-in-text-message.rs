use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(text, title = "Error rate up on {service}")]
struct ErrorRate {
    service: String,
    #[ding(image)]
    chart: String,
}

fn main() {}
