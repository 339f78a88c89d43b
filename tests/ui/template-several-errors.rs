use dingbot::DingMessage;

// Every mistake in one template is reported, not only the first.
#[derive(DingMessage)]
#[ding(title = "Order {id} failed", body = "{id:x} for {custmer}, {} {reason")]
struct OrderFailed {
    id: u64,
    customer: String,
    reason: String,
}

fn main() {}
