//! The functions templates call besides Go's built-ins (which gotmpl has):
//! prometheus-webhook-dingtalk's own `toUpper`, `toLower`, `markdown`, and the sprig
//! functions real templates use, each as sprig v3 defines it (argument order, what an
//! empty value is, how a value becomes text). [`SUPPORTED_SPRIG`] lists them; the rest
//! of sprig is not supported, and a template calling one is refused when it is read.

use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::{FuncMap, Value};

use super::access::{exec, int_arg};
use super::gotime::GoTime;

/// The sprig functions templates may call (the README lists them too).
#[cfg(test)]
pub const SUPPORTED_SPRIG: &[&str] = &[
    "upper",
    "lower",
    "title",
    "trim",
    "trimAll",
    "trimPrefix",
    "trimSuffix",
    "replace",
    "contains",
    "hasPrefix",
    "hasSuffix",
    "quote",
    "squote",
    "cat",
    "indent",
    "nindent",
    "repeat",
    "substr",
    "trunc",
    "abbrev",
    "join",
    "split",
    "splitList",
    "toString",
    "default",
    "empty",
    "coalesce",
    "ternary",
    "list",
    "first",
    "last",
    "dict",
    "get",
    "hasKey",
    "keys",
    "date",
    "dateInZone",
    "htmlDate",
    "htmlDateInZone",
    "now",
    "unixEpoch",
    "add",
    "add1",
    "sub",
    "mul",
    "div",
    "mod",
    "max",
    "min",
    "int",
    "int64",
    "atoi",
    "plural",
    "regexMatch",
    "regexFind",
    "regexReplaceAll",
    "b64enc",
    "b64dec",
    "sha256sum",
];

type F = fn(&[Value]) -> gotmpl::Result<Value>;

/// Every function besides Go's built-ins.
pub fn all() -> FuncMap {
    let table: &[(&str, F)] = &[
        ("toUpper", |a| text(s(a, 0)?.to_uppercase())),
        ("toLower", |a| text(s(a, 0)?.to_lowercase())),
        ("markdown", |a| text(markdown(&s(a, 0)?))),
        ("upper", |a| text(s(a, 0)?.to_uppercase())),
        ("lower", |a| text(s(a, 0)?.to_lowercase())),
        ("title", |a| text(title(&s(a, 0)?))),
        ("trim", |a| text(s(a, 0)?.trim().to_owned())),
        ("trimAll", |a| {
            text(
                s(a, 1)?
                    .trim_matches(|c| s(a, 0).unwrap_or_default().contains(c))
                    .to_owned(),
            )
        }),
        ("trimPrefix", |a| {
            text(
                s(a, 1)?
                    .strip_prefix(&*s(a, 0)?)
                    .map(str::to_owned)
                    .unwrap_or(s(a, 1)?),
            )
        }),
        ("trimSuffix", |a| {
            text(
                s(a, 1)?
                    .strip_suffix(&*s(a, 0)?)
                    .map(str::to_owned)
                    .unwrap_or(s(a, 1)?),
            )
        }),
        ("replace", |a| text(s(a, 2)?.replace(&*s(a, 0)?, &s(a, 1)?))),
        ("contains", |a| {
            Ok(Value::Bool(s(a, 1)?.contains(&*s(a, 0)?)))
        }),
        ("hasPrefix", |a| {
            Ok(Value::Bool(s(a, 1)?.starts_with(&*s(a, 0)?)))
        }),
        ("hasSuffix", |a| {
            Ok(Value::Bool(s(a, 1)?.ends_with(&*s(a, 0)?)))
        }),
        ("quote", |a| {
            text(
                non_nil(a)
                    .map(|v| go_quote(&strval(v)))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }),
        ("squote", |a| {
            text(
                non_nil(a)
                    .map(|v| format!("'{}'", strval(v)))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }),
        ("cat", |a| {
            text(non_nil(a).map(strval).collect::<Vec<_>>().join(" "))
        }),
        ("indent", |a| text(indent(i(a, 0)?, &s(a, 1)?))),
        ("nindent", |a| {
            text(format!("\n{}", indent(i(a, 0)?, &s(a, 1)?)))
        }),
        ("repeat", |a| {
            text(s(a, 1)?.repeat(usize::try_from(i(a, 0)?).unwrap_or(0)))
        }),
        ("substr", |a| text(substr(i(a, 0)?, i(a, 1)?, &s(a, 2)?))),
        ("trunc", |a| text(trunc(i(a, 0)?, &s(a, 1)?))),
        ("abbrev", |a| text(abbrev(i(a, 0)?, &s(a, 1)?))),
        ("join", |a| text(strslice(arg(a, 1)?).join(&*s(a, 0)?))),
        ("split", |a| {
            let parts = s(a, 1)?
                .split(&*s(a, 0)?)
                .map(str::to_owned)
                .collect::<Vec<_>>();
            let map: BTreeMap<String, Value> = parts
                .into_iter()
                .enumerate()
                .map(|(n, p)| (format!("_{n}"), Value::from(p)))
                .collect();
            Ok(Value::from(map))
        }),
        ("splitList", |a| {
            Ok(list(s(a, 1)?.split(&*s(a, 0)?).map(Value::from)))
        }),
        ("toString", |a| text(strval(arg(a, 0)?))),
        ("default", |a| {
            let given = a.get(1).filter(|v| !is_empty(v));
            Ok(given.or(a.first()).cloned().unwrap_or(Value::Nil))
        }),
        ("empty", |a| Ok(Value::Bool(a.first().is_none_or(is_empty)))),
        ("coalesce", |a| {
            Ok(a.iter()
                .find(|v| !is_empty(v))
                .cloned()
                .unwrap_or(Value::Nil))
        }),
        ("ternary", |a| {
            Ok(if arg(a, 2)?.is_truthy() {
                arg(a, 0)?
            } else {
                arg(a, 1)?
            }
            .clone())
        }),
        ("list", |a| Ok(list(a.iter().cloned()))),
        ("first", |a| {
            Ok(items(arg(a, 0)?).first().cloned().unwrap_or(Value::Nil))
        }),
        ("last", |a| {
            Ok(items(arg(a, 0)?).last().cloned().unwrap_or(Value::Nil))
        }),
        ("dict", |a| {
            let mut map = BTreeMap::new();
            for pair in a.chunks(2) {
                map.insert(
                    strval(&pair[0]),
                    pair.get(1).cloned().unwrap_or(Value::String("".into())),
                );
            }
            Ok(Value::from(map))
        }),
        ("get", |a| {
            Ok(arg(a, 0)?
                .field(&s(a, 1)?)
                .cloned()
                .unwrap_or(Value::String("".into())))
        }),
        ("hasKey", |a| {
            Ok(Value::Bool(arg(a, 0)?.field(&s(a, 1)?).is_some()))
        }),
        ("keys", |a| {
            let keys = a.iter().filter_map(|m| match m {
                Value::Map(m) => Some(
                    m.keys()
                        .map(|k| Value::String(k.clone()))
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            });
            Ok(list(keys.flatten()))
        }),
        ("date", |a| {
            text(date_arg(arg(a, 1)?).local().format(&s(a, 0)?))
        }),
        ("dateInZone", |a| {
            text(in_zone(&date_arg(arg(a, 1)?), &s(a, 2)?).format(&s(a, 0)?))
        }),
        ("htmlDate", |a| {
            text(date_arg(arg(a, 0)?).local().format("2006-01-02"))
        }),
        ("htmlDateInZone", |a| {
            text(in_zone(&date_arg(arg(a, 0)?), &s(a, 1)?).format("2006-01-02"))
        }),
        ("now", |_| {
            text(GoTime::utc(jiff::Timestamp::now()).local().go_string())
        }),
        ("unixEpoch", |a| {
            text(date_arg(arg(a, 0)?).at.as_second().to_string())
        }),
        ("add", |a| Ok(Value::Int(a.iter().map(to_int).sum()))),
        ("add1", |a| Ok(Value::Int(to_int(arg(a, 0)?) + 1))),
        ("sub", |a| {
            Ok(Value::Int(to_int(arg(a, 0)?) - to_int(arg(a, 1)?)))
        }),
        ("mul", |a| Ok(Value::Int(a.iter().map(to_int).product()))),
        ("div", |a| {
            to_int(arg(a, 0)?)
                .checked_div(to_int(arg(a, 1)?))
                .map(Value::Int)
                .ok_or_else(|| exec("div: division by zero"))
        }),
        ("mod", |a| {
            to_int(arg(a, 0)?)
                .checked_rem(to_int(arg(a, 1)?))
                .map(Value::Int)
                .ok_or_else(|| exec("mod: division by zero"))
        }),
        ("max", |a| {
            Ok(Value::Int(a.iter().map(to_int).max().unwrap_or(0)))
        }),
        ("min", |a| {
            Ok(Value::Int(a.iter().map(to_int).min().unwrap_or(0)))
        }),
        ("int", |a| Ok(Value::Int(to_int(arg(a, 0)?)))),
        ("int64", |a| Ok(Value::Int(to_int(arg(a, 0)?)))),
        ("atoi", |a| Ok(Value::Int(s(a, 0)?.parse().unwrap_or(0)))),
        ("plural", |a| {
            Ok(if to_int(arg(a, 2)?) == 1 {
                arg(a, 0)?
            } else {
                arg(a, 1)?
            }
            .clone())
        }),
        ("regexMatch", |a| {
            Ok(Value::Bool(
                regex::Regex::new(&s(a, 0)?)
                    .is_ok_and(|r| r.is_match(&s(a, 1).unwrap_or_default())),
            ))
        }),
        ("regexFind", |a| {
            text(
                regex(&s(a, 0)?)?
                    .find(&s(a, 1)?)
                    .map(|m| m.as_str().to_owned())
                    .unwrap_or_default(),
            )
        }),
        ("regexReplaceAll", |a| {
            text(
                regex(&s(a, 0)?)?
                    .replace_all(&s(a, 1)?, &*s(a, 2)?)
                    .into_owned(),
            )
        }),
        ("b64enc", |a| {
            text(base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                s(a, 0)?,
            ))
        }),
        ("b64dec", |a| {
            let decoded =
                base64::Engine::decode(&base64::engine::general_purpose::STANDARD, s(a, 0)?);
            text(match decoded {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(err) => err.to_string(),
            })
        }),
        ("sha256sum", |a| {
            use sha2::Digest as _;
            let digest = sha2::Sha256::digest(s(a, 0)?.as_bytes());
            text(digest.iter().map(|b| format!("{b:02x}")).collect())
        }),
    ];
    table
        .iter()
        .map(|&(name, f)| (name.to_owned(), Arc::new(f) as gotmpl::ValueFunc))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_supported_sprig_function_is_there() {
        let all = super::all();
        for name in super::SUPPORTED_SPRIG {
            assert!(all.contains_key(*name), "{name}");
        }
        assert_eq!(
            all.len(),
            super::SUPPORTED_SPRIG.len() + 3,
            "and toUpper, toLower, markdown"
        );
    }
}

fn text(s: String) -> gotmpl::Result<Value> {
    Ok(Value::String(s.into()))
}

fn list(values: impl Iterator<Item = Value>) -> Value {
    Value::List(values.collect::<Vec<_>>().into())
}

fn arg(args: &[Value], n: usize) -> gotmpl::Result<&Value> {
    args.get(n).ok_or_else(|| {
        exec(format!(
            "wrong number of arguments: expected at least {}",
            n + 1
        ))
    })
}

/// Argument `n` as text (sprig's `strval`).
fn s(args: &[Value], n: usize) -> gotmpl::Result<String> {
    arg(args, n).map(strval)
}

fn i(args: &[Value], n: usize) -> gotmpl::Result<i64> {
    arg(args, n).map(to_int)
}

fn non_nil(args: &[Value]) -> impl Iterator<Item = &Value> {
    args.iter().filter(|v| !matches!(v, Value::Nil))
}

/// sprig's `strval`: a string as it is, anything else as Go's `%v` prints it.
pub fn strval(value: &Value) -> String {
    match value {
        Value::String(s) => s.to_string(),
        other => other.to_string(),
    }
}

/// sprig's `strslice`: a list's items as text (nil items left out), anything else one
/// item.
fn strslice(value: &Value) -> Vec<String> {
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

fn items(value: &Value) -> Vec<Value> {
    match value {
        Value::List(items) => items.to_vec(),
        _ => Vec::new(),
    }
}

/// sprig's `empty`: nil, `""`, 0, false, an empty list or map.
fn is_empty(value: &Value) -> bool {
    !value.is_truthy() && !matches!(value, Value::Function(_))
}

/// spf13/cast's `ToInt64`, as sprig's arithmetic converts: numbers truncated, text
/// parsed (0 when it is none), true as 1.
fn to_int(value: &Value) -> i64 {
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

/// prometheus-webhook-dingtalk's `markdown`: a backslash before `_`, `*` and `` ` ``.
fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(c, '_' | '*' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Go's `strings.Title`: each letter after a separator upper-cased.
fn title(s: &str) -> String {
    let separator = |c: char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else {
            !c.is_alphanumeric()
        }
    };
    let mut previous = ' ';
    s.chars()
        .map(|c| {
            let out = if separator(previous) {
                c.to_uppercase().collect()
            } else {
                c.to_string()
            };
            previous = c;
            out
        })
        .collect()
}

/// Go's `%q` of a string (`strconv.Quote`).
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn indent(spaces: i64, s: &str) -> String {
    let pad = " ".repeat(usize::try_from(spaces).unwrap_or(0));
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

/// A byte index moved back to a character boundary (Go would cut the character).
fn at_char(s: &str, i: i64) -> usize {
    let mut i = usize::try_from(i).unwrap_or(0).min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// sprig's `substr start end s`, by bytes.
fn substr(start: i64, end: i64, s: &str) -> String {
    if start < 0 {
        return s[..at_char(s, end)].to_owned();
    }
    if end < 0 || end as usize > s.len() {
        return s[at_char(s, start)..].to_owned();
    }
    let (a, b) = (at_char(s, start), at_char(s, end));
    s.get(a..b.max(a)).unwrap_or_default().to_owned()
}

/// sprig's `trunc n s`: the first `n` bytes, or the last `-n`.
fn trunc(c: i64, s: &str) -> String {
    let len = s.len() as i64;
    if c < 0 && len + c > 0 {
        return s[at_char(s, len + c)..].to_owned();
    }
    if c >= 0 && len > c {
        return s[..at_char(s, c)].to_owned();
    }
    s.to_owned()
}

/// sprig's `abbrev width s`: cut with `...` to `width` bytes.
fn abbrev(width: i64, s: &str) -> String {
    if width < 4 || s.len() as i64 <= width {
        return s.to_owned();
    }
    format!("{}...", &s[..at_char(s, width - 3)])
}

fn regex(pattern: &str) -> gotmpl::Result<regex::Regex> {
    regex::Regex::new(pattern).map_err(|e| exec(format!("regexp: {e}")))
}

/// sprig's date argument: a time, or seconds since 1970; anything else is now.
fn date_arg(value: &Value) -> GoTime {
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
fn in_zone(time: &GoTime, name: &str) -> GoTime {
    let zone = if name == "Local" {
        jiff::tz::TimeZone::system()
    } else {
        jiff::tz::TimeZone::get(name).unwrap_or(jiff::tz::TimeZone::UTC)
    };
    GoTime::in_zone(time.at, &zone)
}
