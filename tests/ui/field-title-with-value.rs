use dingbot::DingMessage;

#[derive(DingMessage)]
struct OrderFailed {
    #[ding(title = "Order {id} failed")]
    id: u64,
}

fn main() {}
