use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed", body = "{#reason}Reason: {reason}")]
struct OrderFailed {
    id: u64,
    reason: Option<String>,
}

fn main() {}
