use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
    #[ding(at_user_ids)]
    owners: Vec<u32>,
}

fn main() {}
