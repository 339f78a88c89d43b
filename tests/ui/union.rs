use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Reading")]
union Reading {
    celsius: f32,
    raw: u32,
}

fn main() {}
