use dingbot::DingMessage;

#[derive(DingMessage)]
enum Alert {
    #[ding(crate = "::dingbot", title = "Heartbeat missed")]
    HeartbeatMissed,
}

fn main() {}
