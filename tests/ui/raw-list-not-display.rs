use dingbot::{DingItem, DingMessage};

#[derive(DingItem)]
struct Check {
    name: String,
}

#[derive(DingMessage)]
#[ding(title = "Checks")]
struct Checks {
    // A `raw` list writes each item as it is, so the items must be `Display`.
    #[ding(list, raw)]
    failed: Vec<Check>,
}

fn main() {}
