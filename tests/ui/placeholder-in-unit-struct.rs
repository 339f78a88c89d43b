use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Heartbeat missed on {host}")]
struct HeartbeatMissed;

fn main() {}
