use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "Report")]
struct Report<T> {
    #[ding(list)]
    rows: Vec<T>,
}

struct Row {
    value: u32,
}

fn main() {
    let report = Report { rows: vec![Row { value: 1 }] };
    let _ = dingbot::DingMessage::to_message(&report);
}
