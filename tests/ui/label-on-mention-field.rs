use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
    #[ding(at_mobiles, label = "On call")]
    oncall: Vec<String>,
}

fn main() {}
