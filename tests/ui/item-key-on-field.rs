use dingbot::DingItem;

#[derive(DingItem)]
struct Check {
    #[ding(item = "{name}")]
    name: String,
}

fn main() {}
