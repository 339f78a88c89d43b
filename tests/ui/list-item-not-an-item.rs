use dingbot::DingMessage;

struct Alert {
    name: String,
}

#[derive(DingMessage)]
#[ding(title = "Alerts")]
struct Notification {
    #[ding(list)]
    alerts: Vec<Alert>,
}

fn main() {}
