use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {order_id} failed")]
struct OrderFailed {
    id: u64,
    customer: String,
}

fn main() {}
