use dingbot::DingItem;

#[derive(DingItem)]
#[ding(item = "{name}")]
struct Check {
    name: String,
}

#[derive(dingbot::DingMessage)]
enum Event {
    #[ding(title = "{name} is up", item = "{name}")]
    Up { name: String },
}

fn main() {}
