use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
    #[ding(summary = "{customer}")]
    customer: String,
}

fn main() {}
