use dingbot::DingItem;

#[derive(DingItem)]
#[ding(item = "**{alertname}** since {startsAt}")]
struct Alert {
    alertname: String,
    starts_at: String,
}

fn main() {}
