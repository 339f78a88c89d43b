use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(text, title = "Nightly build")]
struct Nightly {
    #[ding(list)]
    failed: Vec<String>,
}

fn main() {}
