use std::collections::BTreeMap;

use dingbot::DingMessage;

fn cents(value: &u64, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    write!(f, "{}.{:02}", value / 100, value % 100)
}

#[derive(DingMessage)]
#[ding(title = "Costs")]
struct Costs {
    // The map's values are strings, but `cents` formats a `u64`.
    #[ding(list, with = cents)]
    by_team: BTreeMap<String, String>,
}

fn main() {}
