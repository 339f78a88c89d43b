use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
    #[ding(label = 3)]
    customer: String,
}

fn main() {}
