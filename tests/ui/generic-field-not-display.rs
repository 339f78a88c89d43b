use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "{metric} changed")]
struct Changed<T> {
    metric: String,
    value: T,
}

struct Celsius(f64);

fn send(message: &impl DingMessage) {
    let _ = message.to_message();
}

fn main() {
    send(&Changed {
        metric: "temperature".to_owned(),
        value: Celsius(21.5),
    });
}
