use dingbot::DingMessage;

#[derive(DingMessage)]
struct OrderFailed {
    #[ding(title, label = "Summary")]
    summary: String,
    customer: String,
}

fn main() {}
