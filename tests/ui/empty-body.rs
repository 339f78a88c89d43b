use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed", body = " ")]
struct OrderFailed {
    id: u64,
}

fn main() {}
