use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command {
    Silence(String, u32),
}

fn main() {}
