use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command {
    #[ding(alais = "mute")]
    Silence { alertname: String },
}

fn main() {}
