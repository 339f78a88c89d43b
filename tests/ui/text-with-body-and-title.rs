use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(text, title = "Order {id} failed", body = "Order {id} failed for {customer}")]
struct OrderFailed {
    id: u64,
    customer: String,
}

fn main() {}
