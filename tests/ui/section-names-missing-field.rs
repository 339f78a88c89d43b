use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed", body = "{#reson}Reason: {reason}{/reson}")]
struct OrderFailed {
    id: u64,
    reason: Option<String>,
}

fn main() {}
