use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(text)]
struct Ping {
    host: String,
}

fn main() {}
