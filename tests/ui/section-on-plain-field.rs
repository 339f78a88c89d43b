use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed", body = "{#customer}Customer: {customer}{/customer}")]
struct OrderFailed {
    id: u64,
    customer: String,
}

fn main() {}
