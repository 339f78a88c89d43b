use dingbot::DingMessage;

fn cents(amount: u64) -> String {
    format!("{}.{:02}", amount / 100, amount % 100)
}

#[derive(DingMessage)]
#[ding(title = "Order {id} paid")]
struct OrderPaid {
    id: u64,
    #[ding(with = cents)]
    amount: u64,
}

fn main() {}
