use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command {
    Silence {
        alertname: String,
        #[ding(flag, rename = "alertname")]
        name: Option<String>,
    },
}

fn main() {}
