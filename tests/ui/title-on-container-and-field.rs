use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
    #[ding(title)]
    summary: String,
}

fn main() {}
