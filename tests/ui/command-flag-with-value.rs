use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command {
    Silence {
        #[ding(flag = true)]
        comment: Option<String>,
    },
}

fn main() {}
