use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed", body = "{reason}: run `retry {id}`")]
struct OrderFailed {
    id: u64,
    reason: String,
}

fn main() {}
