use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, text, title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
}

fn main() {}
