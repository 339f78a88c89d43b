use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command {
    Silence { alertname: String },
    #[ding(alias = "Silence")]
    Mute { alertname: String },
}

fn main() {}
