use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Failed: {failed}")]
struct Nightly {
    #[ding(list)]
    failed: Vec<String>,
}

fn main() {}
