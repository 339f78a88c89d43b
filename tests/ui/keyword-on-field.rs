use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Disk full")]
struct DiskFull {
    #[ding(keyword = "告警")]
    host: String,
}

fn main() {}
