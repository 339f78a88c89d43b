use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Nightly build", body = "Failed:\n{failed:?}")]
struct Nightly {
    #[ding(list)]
    failed: Vec<String>,
}

fn main() {}
