use dingbot::DingCommand;

fn yes(word: &str) -> Result<bool, String> {
    Ok(word == "yes")
}

#[derive(DingCommand)]
enum Command {
    Alerts {
        #[ding(with = yes)]
        all: bool,
    },
}

fn main() {}
