use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed", body = "{reason}\n\n![chart](grafana.example.com/d/{id}.png)")]
struct OrderFailed {
    id: u64,
    reason: String,
}

fn main() {}
