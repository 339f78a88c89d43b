use dingbot::DingMessage;

struct Region {
    code: u8,
}

#[derive(DingMessage)]
#[ding(title = "Outage{region}")]
struct Outage {
    region: Option<Region>,
}

fn main() {}
