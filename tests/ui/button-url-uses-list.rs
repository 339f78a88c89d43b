use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(
    action_card,
    title = "Refund {id}",
    button(text = "Approve", url = "https://crm.example.com/orders/{id}?tags={tags}")
)]
struct RefundRequest {
    id: u64,
    #[ding(list)]
    tags: Vec<String>,
}

fn main() {}
