use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Nightly build")]
struct Nightly {
    #[ding(list)]
    failed: u32,
}

fn main() {}
