use dingbot::DingMessage;

#[derive(DingMessage)]
struct OrderFailed {
    #[ding(title)]
    summary: String,
    #[ding(title)]
    headline: String,
}

fn main() {}
