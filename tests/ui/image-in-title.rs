use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Error rate up: {chart}")]
struct ErrorRate {
    service: String,
    #[ding(image)]
    chart: String,
}

fn main() {}
