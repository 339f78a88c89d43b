use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed", summary = "{id}: {items}")]
struct OrderFailed {
    id: u64,
    #[ding(list)]
    items: Vec<String>,
}

fn main() {}
