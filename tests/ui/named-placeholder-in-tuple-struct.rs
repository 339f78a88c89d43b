use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed")]
struct OrderFailed(u64);

fn main() {}
