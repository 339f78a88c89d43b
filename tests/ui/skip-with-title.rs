use dingbot::DingMessage;

#[derive(DingMessage)]
struct OrderFailed {
    #[ding(skip, title)]
    summary: String,
    customer: String,
}

fn main() {}
