use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(crat = "::dingbot")]
enum Alert {
    #[ding(title = "Heartbeat missed")]
    HeartbeatMissed,
}

fn main() {}
