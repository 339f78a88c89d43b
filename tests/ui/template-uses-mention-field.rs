use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Order {id} failed", body = "Paging {oncall}")]
struct OrderFailed {
    id: u64,
    #[ding(at_mobiles)]
    oncall: Vec<String>,
}

fn main() {}
