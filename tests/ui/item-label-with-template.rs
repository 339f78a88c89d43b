use dingbot::DingItem;

#[derive(DingItem)]
#[ding(item = "{name}: {state}")]
struct Check {
    name: String,
    #[ding(label = "State")]
    state: String,
}

fn main() {}
