//! What a person names to silence: an alert name, or Alertmanager's matchers
//! (`job="api",severity=~"warn|crit"`, with or without braces).

use serde::Serialize;

/// One matcher, as Alertmanager's API v2 takes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Matcher {
    /// The label's name.
    pub name: String,
    /// The value, or the regular expression.
    pub value: String,
    /// `=~` or `!~`.
    pub is_regex: bool,
    /// `=` or `=~`.
    pub is_equal: bool,
}

impl std::fmt::Display for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = match (self.is_equal, self.is_regex) {
            (true, false) => "=",
            (false, false) => "!=",
            (true, true) => "=~",
            (false, true) => "!~",
        };
        write!(f, "{}{op}{:?}", self.name, self.value)
    }
}

/// The matchers `target` names: a bare alert name is `alertname="…"`; otherwise a
/// comma-separated list of `name op value` (`=`, `!=`, `=~`, `!~`), values quoted or not.
pub fn parse(target: &str) -> Result<Vec<Matcher>, String> {
    let target = target.trim();
    let inner = target
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(target)
        .trim();
    if inner.is_empty() {
        return Err("name an alert, or matchers such as job=\"api\"".to_owned());
    }
    if !inner.contains(['=', '~']) {
        if !is_label_name(inner) && inner.contains(|c: char| c.is_whitespace() || c == ',') {
            return Err(format!(
                "{inner:?} is not an alert name: use alertname=\"…\" for one with spaces"
            ));
        }
        return Ok(vec![Matcher {
            name: "alertname".to_owned(),
            value: inner.to_owned(),
            is_regex: false,
            is_equal: true,
        }]);
    }
    split(inner)?.iter().map(|m| one(m.trim())).collect()
}

/// `inner` split at the commas outside quotes.
fn split(inner: &str) -> Result<Vec<String>, String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    let mut escaped = false;
    for c in inner.chars() {
        let part = parts.last_mut().ok_or("empty")?;
        if escaped {
            part.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => {
                part.push(c);
                escaped = true;
            }
            '"' => {
                quoted = !quoted;
                part.push(c);
            }
            ',' if !quoted => parts.push(String::new()),
            _ => part.push(c),
        }
    }
    if quoted {
        return Err("a \" quote is not closed".to_owned());
    }
    Ok(parts.into_iter().filter(|p| !p.trim().is_empty()).collect())
}

fn one(text: &str) -> Result<Matcher, String> {
    let at = text
        .find(['=', '!'])
        .ok_or_else(|| format!("{text:?} is not a matcher: write name=\"value\""))?;
    let name = text[..at].trim();
    let rest = &text[at..];
    let (op, value) = ["=~", "!~", "!=", "="]
        .iter()
        .find_map(|op| rest.strip_prefix(op).map(|v| (*op, v.trim())))
        .ok_or_else(|| format!("{text:?}: the operator is one of =, !=, =~, !~"))?;
    if !is_label_name(name) {
        return Err(format!("{name:?} is not a label name"));
    }
    let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(v) => v.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => value.to_owned(),
    };
    Ok(Matcher {
        name: name.to_owned(),
        value,
        is_regex: op.ends_with('~'),
        is_equal: !op.starts_with('!'),
    })
}

/// Prometheus' label names: `[a-zA-Z_][a-zA-Z0-9_]*`.
fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(target: &str) -> Result<Vec<String>, String> {
        parse(target).map(|ms| ms.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn names_and_matchers() {
        assert_eq!(shown("HighLatency").unwrap(), ["alertname=\"HighLatency\""]);
        assert_eq!(
            shown("{job=\"api\", severity=~\"warn|crit\"}").unwrap(),
            ["job=\"api\"", "severity=~\"warn|crit\""]
        );
        assert_eq!(
            shown("instance!=db-1,env!~test.*").unwrap(),
            ["instance!=\"db-1\"", "env!~\"test.*\""]
        );
        assert_eq!(shown("msg=\"a, b\"").unwrap(), ["msg=\"a, b\""]);
        assert!(parse("").is_err());
        assert!(parse("1job=x").is_err());
        assert!(parse("job=\"api").is_err());
        assert!(parse("two words").is_err());
    }
}
