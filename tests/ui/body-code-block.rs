use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed", body = "{reason}\n\n```\nretry {id}\n```")]
struct OrderFailed {
    id: u64,
    reason: String,
}

fn main() {}
