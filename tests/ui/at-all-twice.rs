use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(text, title = "Disk full on {host}", at_all)]
struct DiskFull {
    host: String,
    #[ding(at_all)]
    urgent: bool,
}

fn main() {}
