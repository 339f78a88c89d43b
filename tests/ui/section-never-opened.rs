use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed", body = "Reason: {reason}{/reason}")]
struct OrderFailed {
    id: u64,
    reason: Option<String>,
}

fn main() {}
