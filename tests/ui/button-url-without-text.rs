use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(action_card, title = "Refund {id}", button(url = "https://crm.example.com/orders/{id}"))]
struct RefundRequest {
    id: u64,
}

fn main() {}
