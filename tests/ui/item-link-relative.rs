use dingbot::DingItem;

#[derive(DingItem)]
#[ding(item = "[{sku}](/items/{sku}) × {count}")]
struct Line {
    sku: String,
    count: u32,
}

fn main() {}
