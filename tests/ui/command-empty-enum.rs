use dingbot::DingCommand;

#[derive(DingCommand)]
enum Command {}

fn main() {}
