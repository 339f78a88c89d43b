use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding = "Order {id} failed"]
struct OrderFailed {
    id: u64,
}

fn main() {}
