use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed", summary = "{id} {custmer}: {amount}")]
struct OrderFailed {
    id: u64,
    customer: String,
    amount: u64,
}

fn main() {}
