use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command<T> {
    Silence { alertname: T },
}

fn main() {}
