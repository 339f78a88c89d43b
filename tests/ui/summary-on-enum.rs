use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(summary = "{id}")]
enum Order {
    #[ding(markdown, title = "Order {id} failed")]
    Failed { id: u64 },
}

fn main() {}
