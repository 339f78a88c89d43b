use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(crate = 3, title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
}

fn main() {}
