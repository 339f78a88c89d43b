use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed", at_mobile)]
struct OrderFailed {
    id: u64,
    oncall: Vec<String>,
}

fn main() {}
