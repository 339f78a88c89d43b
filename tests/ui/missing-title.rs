use dingbot::DingMessage;

#[derive(DingMessage)]
struct OrderFailed {
    id: u64,
    customer: String,
}

fn main() {}
