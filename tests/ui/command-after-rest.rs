use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command {
    Block {
        addresses: Vec<String>,
        minutes: Option<u64>,
    },
}

fn main() {}
