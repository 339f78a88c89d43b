use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Host {0} is down")]
struct HostDown(String, String);

fn main() {}
