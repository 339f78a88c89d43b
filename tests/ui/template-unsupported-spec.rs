use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id:x} failed")]
struct OrderFailed {
    id: u64,
}

fn main() {}
