use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {} failed")]
struct OrderFailed {
    id: u64,
}

fn main() {}
