use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(
    title = "Refund {id}",
    button(text = "Approve", url = "https://crm.example.com/orders/{id}/approve")
)]
struct RefundRequest {
    id: u64,
}

fn main() {}
