use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(text, title = "Disk full on {host}")]
struct DiskFull {
    host: String,
    #[ding(at_all)]
    urgent: u8,
}

fn main() {}
