//! Go's field and method access on Alertmanager's template data: what `.Labels.severity`,
//! `.Alerts.Firing`, `.CommonLabels.Remove .GroupLabels.Names` and
//! `(.StartsAt.Add 28800e9).Format "15:04"` do in Go.
//!
//! gotmpl reads a field of a map and nothing else (Go's methods need Go's types), so
//! every field chain is rewritten into a call of [`FIELD`] ([`super::rewrite`]), which
//! does what Go does with the receiver at hand:
//! - a label map (`KV`, a map of strings) has the methods `SortedPairs`, `Names`,
//!   `Values`, `Remove`, and a missing key reads as `""`: Go's `missingkey=zero` on a
//!   `map[string]string`, where gotmpl would print `<no value>`;
//! - a list of pairs has `Names` and `Values`, a list of alerts `Firing` and `Resolved`;
//! - a time ([`super::gotime`]) has Go's `time.Time` methods listed in [`time_method`].

use std::sync::Arc;

use gotmpl::{TemplateError, Value};

use super::gotime::GoTime;

/// The function every field chain is rewritten into: `go.field RECEIVER "A.B" ARGS...`.
/// Its name cannot be written in a template (a `.` ends an identifier).
pub const FIELD: &str = "go.field";

/// [`FIELD`]: walks `path` from the receiver, handing the arguments to the last step.
pub fn field(args: &[Value]) -> gotmpl::Result<Value> {
    let (Some(receiver), Some(Value::String(path))) = (args.first(), args.get(1)) else {
        return Err(exec("field access without a receiver"));
    };
    let names: Vec<&str> = path.split('.').collect();
    let mut value = receiver.clone();
    for (i, name) in names.iter().enumerate() {
        let rest = if i + 1 == names.len() {
            &args[2..]
        } else {
            &[]
        };
        value = step(&value, name, rest)?;
    }
    Ok(value)
}

/// An execution error, as gotmpl reports them.
pub fn exec(message: impl Into<String>) -> TemplateError {
    TemplateError::Exec(message.into())
}

fn step(receiver: &Value, name: &str, args: &[Value]) -> gotmpl::Result<Value> {
    if let Some(value) = method(receiver, name, args)? {
        return Ok(value);
    }
    if !args.is_empty() {
        return Err(exec(format!("can't give argument to non-function .{name}")));
    }
    match receiver {
        Value::Map(map) => match map.get(name) {
            Some(value) => Ok(value.clone()),
            None if is_kv(receiver) => Ok(Value::String("".into())),
            // Go's structs (the data, an alert) have no other fields.
            None if is_struct(receiver) => Err(exec(format!(
                "can't evaluate field {name} in a value of {}",
                if map.contains_key("Fingerprint") {
                    "an alert"
                } else {
                    "the template data"
                }
            ))),
            None => Ok(Value::Nil),
        },
        Value::Nil => Ok(Value::Nil),
        other => Err(exec(format!(
            "can't evaluate field {name} in type {}",
            other.type_name()
        ))),
    }
}

/// Go's `index`: a missing key of a label map is `""` (Go's zero value of its string
/// elements), where gotmpl's gives nil, printed `<no value>`.
pub fn index(args: &[Value]) -> gotmpl::Result<Value> {
    let Some((item, keys)) = args.split_first() else {
        return Err(exec(
            "wrong number of arguments for index: want at least 1 got 0",
        ));
    };
    let mut value = item.clone();
    for key in keys {
        value = match &value {
            Value::Map(map) => {
                let key = key
                    .as_str()
                    .ok_or_else(|| exec("index of a map takes a string"))?;
                match map.get(key) {
                    Some(found) => found.clone(),
                    None if is_kv(&value) => Value::String("".into()),
                    None => Value::Nil,
                }
            }
            Value::List(items) => {
                let i =
                    int_arg(Some(key)).ok_or_else(|| exec("index of a list takes an integer"))?;
                usize::try_from(i)
                    .ok()
                    .and_then(|i| items.get(i))
                    .cloned()
                    .ok_or_else(|| exec(format!("error calling index: index out of range: {i}")))?
            }
            Value::Nil => return Err(exec("error calling index: index of untyped nil")),
            other => {
                return Err(exec(format!(
                    "can't index item of type {}",
                    other.type_name()
                )));
            }
        };
    }
    Ok(value)
}

/// One of the data's Go structs: the template data or an alert.
fn is_struct(value: &Value) -> bool {
    matches!(value, Value::Map(map) if (map.contains_key("Receiver") && map.contains_key("Alerts"))
        || (map.contains_key("Fingerprint") && map.contains_key("StartsAt")))
}

/// A label map: Go's `KV` (`map[string]string`). Alertmanager's other maps (the data, an
/// alert) hold more than strings.
fn is_kv(value: &Value) -> bool {
    matches!(value, Value::Map(map) if map.values().all(|v| matches!(v, Value::String(_))))
}

fn method(receiver: &Value, name: &str, args: &[Value]) -> gotmpl::Result<Option<Value>> {
    match (receiver, name) {
        (Value::Map(map), "SortedPairs" | "Names" | "Values" | "Remove") if is_kv(receiver) => {
            let pairs = sorted_pairs(map);
            Ok(Some(match name {
                "SortedPairs" => pairs,
                "Names" => pair_field(&pairs, "Name"),
                "Values" => pair_field(&pairs, "Value"),
                _ => remove(map, args)?,
            }))
        }
        (Value::List(_), "Names") => Ok(Some(pair_field(receiver, "Name"))),
        (Value::List(_), "Values") => Ok(Some(pair_field(receiver, "Value"))),
        (Value::List(alerts), "Firing" | "Resolved") => {
            let status = if name == "Firing" {
                "firing"
            } else {
                "resolved"
            };
            let kept: Vec<Value> = alerts
                .iter()
                .filter(|alert| {
                    alert
                        .field("Status")
                        .and_then(Value::as_str)
                        .is_some_and(|s| s == status)
                })
                .cloned()
                .collect();
            Ok(Some(Value::List(kept.into())))
        }
        (Value::String(text), _) => match GoTime::parse(text) {
            Some(time) => time_method(&time, name, args),
            None => Ok(None),
        },
        _ => Ok(None),
    }
}

/// Go's `KV.SortedPairs`: `alertname` first, the rest by name; each pair a map with
/// `Name` and `Value`.
fn sorted_pairs(map: &std::collections::BTreeMap<Arc<str>, Value>) -> Value {
    let pair = |k: &Arc<str>, v: &Value| {
        let mut pair = std::collections::BTreeMap::new();
        pair.insert(Arc::<str>::from("Name"), Value::String(k.clone()));
        pair.insert(Arc::<str>::from("Value"), v.clone());
        Value::Map(Arc::new(pair))
    };
    let first = map.get_key_value("alertname").map(|(k, v)| pair(k, v));
    let rest = map
        .iter()
        .filter(|(k, _)| &***k != "alertname")
        .map(|(k, v)| pair(k, v));
    Value::List(first.into_iter().chain(rest).collect::<Vec<_>>().into())
}

fn pair_field(pairs: &Value, field: &str) -> Value {
    let Value::List(pairs) = pairs else {
        return Value::List(Vec::new().into());
    };
    let values: Vec<Value> = pairs
        .iter()
        .map(|p| p.field(field).cloned().unwrap_or(Value::String("".into())))
        .collect();
    Value::List(values.into())
}

/// Go's `KV.Remove(keys []string)`.
fn remove(
    map: &std::collections::BTreeMap<Arc<str>, Value>,
    args: &[Value],
) -> gotmpl::Result<Value> {
    let Some(Value::List(keys)) = args.first() else {
        return Err(exec(
            "Remove takes a list of names (such as .GroupLabels.Names)",
        ));
    };
    let mut kept = map.clone();
    for key in keys.iter() {
        if let Some(key) = key.as_str() {
            kept.remove(key);
        }
    }
    Ok(Value::Map(Arc::new(kept)))
}

/// An integer argument as Go would convert an untyped constant (`28800e9` included).
pub fn int_arg(value: Option<&Value>) -> Option<i128> {
    match value? {
        Value::Int(i) => Some(i128::from(*i)),
        Value::Uint(u) => Some(i128::from(*u)),
        // Only a whole number is an integer constant, as Go's parser decides.
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e30 => Some(*f as i128),
        _ => None,
    }
}

/// The methods of Go's `time.Time` templates call: `Add`, `Format`, `UTC`, `Local`,
/// `Unix`, `UnixMilli`, `UnixNano`, `IsZero`, `String`, `Sub`, `Before`, `After`,
/// `Equal`, `Year`, `Month`, `Day`, `Hour`, `Minute`, `Second`, `Weekday`, `YearDay`.
/// `Sub` gives Go's duration as text (`1h2m3s`): it prints as Go prints it, but is no
/// number.
fn time_method(time: &GoTime, name: &str, args: &[Value]) -> gotmpl::Result<Option<Value>> {
    let text = |s: String| Ok(Some(Value::String(s.into())));
    let other = || {
        args.first()
            .and_then(Value::as_str)
            .and_then(GoTime::parse)
            .ok_or_else(|| exec(format!("{name} takes a time")))
    };
    let civil = time.offset.to_datetime(time.at);
    let int = |i: i64| Ok(Some(Value::Int(i)));
    match name {
        "Add" => {
            let nanos =
                int_arg(args.first()).ok_or_else(|| exec("Add takes a duration in nanoseconds"))?;
            let moved = time
                .add_nanos(nanos)
                .ok_or_else(|| exec("Add: the time is out of range"))?;
            text(moved.go_string())
        }
        "Format" => match args.first().and_then(Value::as_str) {
            Some(layout) => text(time.format(layout)),
            None => Err(exec(
                "Format takes a layout such as \"2006-01-02 15:04:05\"",
            )),
        },
        "UTC" => text(GoTime::utc(time.at).go_string()),
        "Local" => text(time.local().go_string()),
        "String" => text(time.go_string()),
        "Unix" => int(time.at.as_second()),
        "UnixMilli" => int(time.at.as_millisecond()),
        "UnixNano" => int(i64::try_from(time.at.as_nanosecond()).unwrap_or(i64::MAX)),
        "IsZero" => Ok(Some(Value::Bool(
            *time == super::gotime::zero() || time.at == super::gotime::zero().at,
        ))),
        "Sub" => text(duration_string(
            time.at.as_nanosecond() - other()?.at.as_nanosecond(),
        )),
        "Before" => Ok(Some(Value::Bool(time.at < other()?.at))),
        "After" => Ok(Some(Value::Bool(time.at > other()?.at))),
        "Equal" => Ok(Some(Value::Bool(time.at == other()?.at))),
        "Year" => int(i64::from(civil.year())),
        "Month" => text(time.format("January")),
        "Day" => int(i64::from(civil.day())),
        "Hour" => int(i64::from(civil.hour())),
        "Minute" => int(i64::from(civil.minute())),
        "Second" => int(i64::from(civil.second())),
        "Weekday" => text(time.format("Monday")),
        "YearDay" => int(i64::from(civil.day_of_year())),
        _ => Ok(None),
    }
}

/// Go's `Duration.String()`: `72h3m0.5s`, `1.5ms`, `0s`.
pub fn duration_string(nanos: i128) -> String {
    if nanos == 0 {
        return "0s".to_owned();
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let n = nanos.unsigned_abs();
    let fraction = |value: u128, unit: u128, digits: usize| {
        let whole = value / unit;
        let rest = value % unit;
        if rest == 0 {
            whole.to_string()
        } else {
            let frac = format!("{rest:0digits$}");
            format!("{whole}.{}", frac.trim_end_matches('0'))
        }
    };
    if n < 1_000 {
        return format!("{sign}{n}ns");
    }
    if n < 1_000_000 {
        return format!("{sign}{}µs", fraction(n, 1_000, 3));
    }
    if n < 1_000_000_000 {
        return format!("{sign}{}ms", fraction(n, 1_000_000, 6));
    }
    let secs = n / 1_000_000_000;
    let seconds = fraction(n % 60_000_000_000, 1_000_000_000, 9);
    let (hours, minutes) = (secs / 3600, secs / 60 % 60);
    match (hours, minutes) {
        (0, 0) => format!("{sign}{seconds}s"),
        (0, m) => format!("{sign}{m}m{seconds}s"),
        (h, m) => format!("{sign}{h}h{m}m{seconds}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::duration_string;

    #[test]
    fn durations_print_as_go_prints_them() {
        assert_eq!(duration_string(0), "0s");
        assert_eq!(duration_string(1_500_000), "1.5ms");
        assert_eq!(duration_string(90_500_000_000), "1m30.5s");
        assert_eq!(
            duration_string(3_600_000_000_000 * 26 + 3_000_000_000),
            "26h0m3s"
        );
        assert_eq!(duration_string(-2_000_000_000), "-2s");
    }
}
