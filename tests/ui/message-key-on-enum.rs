use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Service alert")]
enum Alert {
    HeartbeatMissed,
    HostDown { host: String },
}

fn main() {}
