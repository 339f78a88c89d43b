use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} paid")]
struct OrderPaid {
    id: u64,
    #[ding(with = "{:.2}")]
    amount: f64,
}

fn main() {}
