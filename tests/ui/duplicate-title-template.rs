use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed")]
#[ding(title = "Order {id} was declined")]
struct OrderFailed {
    id: u64,
}

fn main() {}
