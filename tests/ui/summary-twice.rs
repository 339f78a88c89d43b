use dingbot::DingMessage;

#[derive(DingMessage)]
enum Order {
    #[ding(markdown, title = "Order {id} failed", summary = "{id}")]
    #[ding(summary = "{id} failed")]
    Failed { id: u64 },
}

fn main() {}
