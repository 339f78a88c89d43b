use dingbot::DingItem;

#[derive(DingItem)]
enum Status {
    Firing,
    Resolved,
}

fn main() {}
