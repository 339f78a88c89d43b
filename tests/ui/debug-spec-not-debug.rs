use dingbot::DingMessage;

struct Trace(Vec<u8>);

#[derive(DingMessage)]
#[ding(title = "Order {id} failed", body = "Trace: {trace:?}")]
struct OrderFailed {
    id: u64,
    trace: Trace,
}

fn main() {}
