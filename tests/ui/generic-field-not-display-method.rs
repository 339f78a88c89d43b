use dingbot::DingMessage;

#[derive(DingMessage)]
#[ding(title = "{metric} changed")]
struct Changed<T> {
    metric: String,
    value: T,
}

struct Celsius(f64);

fn main() {
    let event = Changed {
        metric: "temperature".to_owned(),
        value: Celsius(21.5),
    };
    let _ = event.to_message();
}
