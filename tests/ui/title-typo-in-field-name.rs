use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {custmer} failed")]
struct OrderFailed {
    id: u64,
    customer: String,
}

fn main() {}
