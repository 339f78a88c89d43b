use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command {
    #[ding(rename = "silence now")]
    Silence { alertname: String },
}

fn main() {}
