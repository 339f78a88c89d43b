use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed", body = "Declined for **{customer}**: {reason}")]
struct OrderFailed {
    id: u64,
    customer: String,
}

fn main() {}
