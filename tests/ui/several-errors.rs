use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(titel = "Order {id} failed", orientation = "horizontal")]
struct OrderFailed {
    id: u64,
    #[ding(lable = "Customer")]
    customer: String,
    #[ding(button = "Retry")]
    retry_url: String,
    #[ding(at_mobiles, skip)]
    oncall: Vec<String>,
}

fn main() {}
