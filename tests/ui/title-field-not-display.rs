use dingbot::DingMessage;

#[derive(DingMessage)]
struct OrderFailed {
    #[ding(title)]
    summary: Vec<String>,
}

fn main() {}
