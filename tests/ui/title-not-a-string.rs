use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = 3)]
struct OrderFailed {
    id: u64,
}

fn main() {}
