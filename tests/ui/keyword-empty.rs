use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Disk full", keyword = "  ")]
struct DiskFull {
    host: String,
}

fn main() {}
