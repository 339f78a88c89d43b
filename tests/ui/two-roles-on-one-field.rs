use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
    #[ding(at_mobiles, at_user_ids)]
    oncall: Vec<String>,
}

fn main() {}
