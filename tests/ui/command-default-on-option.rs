use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command {
    Alerts {
        #[ding(default = "critical")]
        severity: Option<String>,
    },
}

fn main() {}
