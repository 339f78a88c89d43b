use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed", body = "Declined for {customer}")]
struct OrderFailed {
    id: u64,
    customer: String,
    #[ding(raw)]
    details: String,
}

fn main() {}
