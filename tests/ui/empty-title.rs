use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "")]
struct OrderFailed {
    id: u64,
}

fn main() {}
