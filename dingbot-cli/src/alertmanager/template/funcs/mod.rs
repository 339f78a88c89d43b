//! The functions templates call besides Go's built-ins (which gotmpl has):
//! prometheus-webhook-dingtalk's own `toUpper`, `toLower`, `markdown`, and the sprig
//! functions real templates use, each as sprig v3 defines it (argument order, what an
//! empty value is, how a value becomes text). [`SUPPORTED_SPRIG`] lists them; the rest
//! of sprig is not supported, and a template calling one is refused when it is read.

use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::{FuncMap, Value};

use super::access::exec;
use super::gotime::GoTime;
use text::{abbrev, go_quote, indent, markdown, substr, title, trunc};
use values::{date_arg, in_zone, is_empty, items, regex, strslice, strval, to_int};

mod text;
mod values;

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
