use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "{0} is down since {2}")]
struct HostDown(String, #[ding(label = "Since")] String);

fn main() {}
