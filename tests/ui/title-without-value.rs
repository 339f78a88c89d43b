use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title)]
struct OrderFailed {
    summary: String,
}

fn main() {}
