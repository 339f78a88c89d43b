use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(
    action_card,
    title = "Refund {id}",
    button(text = "Approve", url = "https://crm.example.com/orders/{order}/approve")
)]
struct RefundRequest {
    id: u64,
}

fn main() {}
