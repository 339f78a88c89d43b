use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed", summary = "{id} {customer}\n{amount}")]
struct OrderFailed {
    id: u64,
    customer: String,
    amount: u64,
}

fn main() {}
