use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(crate = "dingbat", title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
}

fn main() {}
