use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed", body = "{reason}: [Open the order](/orders/{id})")]
struct OrderFailed {
    id: u64,
    reason: String,
}

fn main() {}
