use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(titel = "Order {id} failed")]
struct OrderFailed {
    id: u64,
}

fn main() {}
