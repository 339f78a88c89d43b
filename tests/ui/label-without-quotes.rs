use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
    #[ding(label = Customer)]
    customer: String,
}

fn main() {}
