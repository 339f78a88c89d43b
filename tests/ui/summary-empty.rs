use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed", summary = " ")]
struct OrderFailed {
    id: u64,
}

fn main() {}
