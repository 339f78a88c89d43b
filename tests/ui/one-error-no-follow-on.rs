use dingbot::{DingMessage, Message};

#[derive(DingMessage)]
#[ding(title = "Order {order_id} failed")]
struct OrderFailed {
    id: u64,
}

fn notify(event: &impl DingMessage) -> Message {
    event.to_message()
}

fn main() {
    let event = OrderFailed { id: 42 };
    let _ = notify(&event);
    let _ = event.to_message();
}
