use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(
    action_card,
    title = "Refund {id}",
    button(text = "Approve", url = "/orders/{id}/approve")
)]
struct RefundRequest {
    id: u64,
}

fn main() {}
