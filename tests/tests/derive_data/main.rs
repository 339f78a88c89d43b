//! Real data through the derive: `with` formatters, `list` fields of values, maps and
//! `DingItem` structs, optional sections, button URL templates, `flatten`, and mentions
//! added when sending; and no value, however written, makes a link or button open
//! anything but an http(s) URL.

mod buttons;
mod flatten;
mod items;
mod links;
mod sections;
mod values;

use dingbot::DingMessage;

/// The body of a derived message.
fn body(msg: &impl DingMessage) -> String {
    msg.to_message().body().expect("has a body").to_owned()
}
