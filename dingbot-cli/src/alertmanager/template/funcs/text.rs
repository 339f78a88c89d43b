//! The text functions whose rules are Go's or sprig's own: `markdown`, `title`
//! (`strings.Title`), `quote` (`%q`), `indent`, `substr`, `trunc`, `abbrev`.

/// prometheus-webhook-dingtalk's `markdown`: a backslash before `_`, `*` and `` ` ``.
pub fn markdown(s: &str) -> String {
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
pub fn title(s: &str) -> String {
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
pub fn go_quote(s: &str) -> String {
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

pub fn indent(spaces: i64, s: &str) -> String {
    let pad = " ".repeat(usize::try_from(spaces).unwrap_or(0));
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

/// A byte index moved back to a character boundary (Go would cut the character).
pub fn at_char(s: &str, i: i64) -> usize {
    let mut i = usize::try_from(i).unwrap_or(0).min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// sprig's `substr start end s`, by bytes.
pub fn substr(start: i64, end: i64, s: &str) -> String {
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
pub fn trunc(c: i64, s: &str) -> String {
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
pub fn abbrev(width: i64, s: &str) -> String {
    if width < 4 || s.len() as i64 <= width {
        return s.to_owned();
    }
    format!("{}...", &s[..at_char(s, width - 3)])
}
