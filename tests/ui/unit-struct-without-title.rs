use dingbot::DingMessage;

#[derive(DingMessage)]
struct HeartbeatMissed;

fn main() {}
