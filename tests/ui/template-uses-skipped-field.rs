use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed: {trace}")]
struct OrderFailed {
    id: u64,
    #[ding(skip)]
    trace: String,
}

fn main() {}
