use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(text, title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
    #[ding(raw)]
    details: String,
}

fn main() {}
