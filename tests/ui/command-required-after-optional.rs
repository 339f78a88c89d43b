use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command {
    Scale {
        replicas: Option<u8>,
        deployment: String,
    },
}

fn main() {}
