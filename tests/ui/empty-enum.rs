use dingbot::DingMessage;

#[derive(DingMessage)]
enum Alert {}

fn main() {}
