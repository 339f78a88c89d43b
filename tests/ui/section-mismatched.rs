use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(
    title = "Order {id} failed",
    body = "{#reason}Reason: {reason}{#note} ({note}){/reason}{/note}"
)]
struct OrderFailed {
    id: u64,
    reason: Option<String>,
    note: Option<String>,
}

fn main() {}
