use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed", skip)]
struct OrderFailed {
    id: u64,
}

fn main() {}
