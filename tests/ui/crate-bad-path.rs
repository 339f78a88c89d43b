use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(crate = "my crate", title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
}

fn main() {}
