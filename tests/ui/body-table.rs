use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed", body = "| order | reason |\n|---|---|\n| {id} | {reason} |")]
struct OrderFailed {
    id: u64,
    reason: String,
}

fn main() {}
