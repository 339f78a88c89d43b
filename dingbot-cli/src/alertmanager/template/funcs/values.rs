//! How sprig reads its arguments: as text (`strval`), as a list of text (`strslice`),
//! as a number (spf13/cast's `ToInt64`), as a time; what it counts as empty.

use gotmpl::Value;

use super::super::access::{exec, int_arg};
use super::super::gotime::GoTime;

/// sprig's `strval`: a string as it is, anything else as Go's `%v` prints it.
pub fn strval(value: &Value) -> String {
    match value {
        Value::String(s) => s.to_string(),
        other => other.to_string(),
    }
}

/// sprig's `strslice`: a list's items as text (nil items left out), anything else one
/// item.
pub fn strslice(value: &Value) -> Vec<String> {
    match value {
        Value::List(items) => items
            .iter()
            .filter(|v| !matches!(v, Value::Nil))
            .map(strval)
            .collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

pub fn items(value: &Value) -> Vec<Value> {
    match value {
        Value::List(items) => items.to_vec(),
        _ => Vec::new(),
    }
}

/// sprig's `empty`: nil, `""`, 0, false, an empty list or map.
pub fn is_empty(value: &Value) -> bool {
    !value.is_truthy() && !matches!(value, Value::Function(_))
}

/// spf13/cast's `ToInt64`, as sprig's arithmetic converts: numbers truncated, text
/// parsed (0 when it is none), true as 1.
pub fn to_int(value: &Value) -> i64 {
    match value {
        Value::Int(n) => *n,
        Value::Uint(n) => i64::try_from(*n).unwrap_or(i64::MAX),
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => s.trim().parse().unwrap_or(0),
        _ => int_arg(Some(value))
            .and_then(|n| i64::try_from(n).ok())
            .unwrap_or(0),
    }
}

pub fn regex(pattern: &str) -> gotmpl::Result<regex::Regex> {
    regex::Regex::new(pattern).map_err(|e| exec(format!("regexp: {e}")))
}

/// sprig's date argument: a time, or seconds since 1970; anything else is now.
pub fn date_arg(value: &Value) -> GoTime {
    let now = || GoTime::utc(jiff::Timestamp::now());
    match value {
        Value::String(s) => GoTime::parse(s).unwrap_or_else(now),
        Value::Int(_) | Value::Uint(_) => jiff::Timestamp::from_second(to_int(value))
            .map(GoTime::utc)
            .unwrap_or_else(|_| now()),
        _ => now(),
    }
}

/// The same instant in the IANA zone `name` (UTC when there is no such zone, as sprig).
pub fn in_zone(time: &GoTime, name: &str) -> GoTime {
    let zone = if name == "Local" {
        jiff::tz::TimeZone::system()
    } else {
        jiff::tz::TimeZone::get(name).unwrap_or(jiff::tz::TimeZone::UTC)
    };
    GoTime::in_zone(time.at, &zone)
}
