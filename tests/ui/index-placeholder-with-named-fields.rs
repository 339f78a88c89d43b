use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {0} failed")]
struct OrderFailed {
    id: u64,
    customer: String,
}

fn main() {}
