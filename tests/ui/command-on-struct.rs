use dingbot::DingCommand;

#[derive(DingCommand)]
struct Silence {
    alertname: String,
}

fn main() {}
