use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command {
    Silence {
        #[ding(alias = "name")]
        alertname: String,
    },
}

fn main() {}
