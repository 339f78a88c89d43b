use dingbot::DingItem;

#[derive(DingItem)]
struct Check {
    name: String,
    samples: Vec<f64>,
}

fn main() {}
