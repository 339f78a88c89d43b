use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Disk", body = "Used: {percent:##}")]
struct DiskFull {
    percent: u8,
}

fn main() {}
