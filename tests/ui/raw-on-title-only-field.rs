use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed")]
struct OrderFailed {
    #[ding(raw)]
    id: u64,
    customer: String,
}

fn main() {}
