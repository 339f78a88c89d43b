use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} paid")]
struct OrderPaid {
    id: u64,
    #[ding(with = money::cents)]
    amount: u64,
}

fn main() {}
