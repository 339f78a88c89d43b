use dingbot::DingMessage;

#[derive(DingMessage)]
struct OrderFailed {
    #[ding(title)]
    summary: Option<String>,
}

fn main() {}
