use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed", body = "<b>{id}</b>: {reason}")]
struct OrderFailed {
    id: u64,
    reason: String,
}

fn main() {}
