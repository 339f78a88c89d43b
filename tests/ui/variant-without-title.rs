use dingbot::DingMessage;

#[derive(DingMessage)]
enum Alert {
    #[ding(title = "Heartbeat missed")]
    HeartbeatMissed,
    HostDown { host: String },
}

fn main() {}
