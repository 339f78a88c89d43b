use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command {
    #[ding(rename = mute)]
    Silence { alertname: String },
}

fn main() {}
