//! Scanning a template's text into literal pieces and `{field}` placeholders, with
//! `{{`/`}}` escapes and format specs checked against the grammar of `format_args!`.

use super::piece::{Name, Piece, Placeholder};

/// Splits a template into literal text, placeholders and sections. Every error is
/// returned, not only the first: scanning goes on after each one, and the pieces hold
/// what could be read.
pub fn scan(template: &str) -> (Vec<Piece>, Vec<String>) {
    let mut pieces = Vec::new();
    let mut errors = Vec::new();
    let mut lit = String::new();
    // The sections open at this point, innermost last.
    let mut open: Vec<Name> = Vec::new();
    let mut chars = template.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|&(_, c)| c) == Some('{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek().map(|&(_, c)| c) == Some('}') => {
                chars.next();
                lit.push('}');
            }
            '}' => errors.push("unmatched `}`; write `}}` for a literal brace".to_owned()),
            '{' => {
                let inner_start = start + 1;
                let mut end = None;
                let mut nested = false;
                while let Some(&(i, c)) = chars.peek() {
                    match c {
                        '}' => {
                            chars.next();
                            end = Some(i);
                            break;
                        }
                        // A `{` inside: this placeholder is broken; the next one starts
                        // there.
                        '{' => {
                            nested = true;
                            break;
                        }
                        _ => {
                            chars.next();
                        }
                    }
                }
                if nested {
                    errors.push(
                        "`{` inside a placeholder; write `{{` for a literal brace".to_owned(),
                    );
                    continue;
                }
                let Some(end) = end else {
                    errors.push("unclosed `{`; write `{{` for a literal brace".to_owned());
                    break;
                };
                if !lit.is_empty() {
                    pieces.push(Piece::Lit(std::mem::take(&mut lit)));
                }
                let inner = &template[inner_start..end];
                let piece = if let Some(name) = inner.strip_prefix('#') {
                    section_name(name).map(|name| {
                        open.push(name.clone());
                        Piece::Open(Placeholder {
                            name,
                            spec: String::new(),
                            field: None,
                        })
                    })
                } else if let Some(name) = inner.strip_prefix('/') {
                    section_name(name).and_then(|name| close(&mut open, name))
                } else {
                    placeholder(inner).map(Piece::Field)
                };
                match piece {
                    Ok(piece) => pieces.push(piece),
                    Err(msg) => errors.push(msg),
                }
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        pieces.push(Piece::Lit(lit));
    }
    for name in open.into_iter().rev() {
        errors.push(format!(
            "section `{{#{name}}}` is never closed: end it with `{{/{name}}}`"
        ));
    }
    (pieces, errors)
}

/// The name in `{#name}` or `{/name}`.
fn section_name(name: &str) -> Result<Name, String> {
    match parse_name(name) {
        Ok(name) => Ok(name),
        Err(_) => Err(format!(
            "`{{#{name}}}` does not name a field; a section is written `{{#field}}...{{/field}}`"
        )),
    }
}

/// Closes the innermost open section, which must be `name`.
fn close(open: &mut Vec<Name>, name: Name) -> Result<Piece, String> {
    match open.last() {
        Some(last) if *last == name => {
            open.pop();
            Ok(Piece::Close(name))
        }
        Some(last) => Err(format!(
            "`{{/{name}}}` closes a section that is not open here: the innermost open \
             section is `{{#{last}}}`, so close it with `{{/{last}}}` first"
        )),
        None => Err(format!(
            "`{{/{name}}}` closes a section that was never opened: open it with `{{#{name}}}`"
        )),
    }
}

/// Parses the inside of `{...}`.
fn placeholder(inner: &str) -> Result<Placeholder, String> {
    let (name, spec) = match inner.split_once(':') {
        Some((name, spec)) => (name, spec),
        None => (inner, ""),
    };
    let name = parse_name(name)?;
    check_spec(spec)?;
    Ok(Placeholder {
        name,
        spec: spec.to_owned(),
        field: None,
    })
}

fn parse_name(name: &str) -> Result<Name, String> {
    if name.is_empty() {
        return Err("empty `{}`; name a field, as in `{id}`".to_owned());
    }
    if name.chars().all(|c| c.is_ascii_digit()) {
        if name.len() > 1 && name.starts_with('0') {
            return Err(format!(
                "write `{{{}}}`, without leading zeros",
                name.trim_start_matches('0')
            ));
        }
        return name
            .parse()
            .map(Name::Index)
            .map_err(|_| format!("field index `{name}` is too large"));
    }
    let ident = name.strip_prefix("r#").unwrap_or(name);
    let mut chars = ident.chars();
    let valid = chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric());
    if !valid || ident == "_" {
        return Err(format!(
            "`{{{name}}}` does not name a field; placeholders are field names, as in `{{id}}`, \
             or tuple indexes, as in `{{0}}`"
        ));
    }
    Ok(Name::Named(ident.to_owned()))
}

/// Allows fill, alignment, sign, `#`, `0`, width, precision and `?`; the other format
/// traits (`x`, `b`, `e`, ...) and arguments (`$`, `*`) are not supported.
fn check_spec(spec: &str) -> Result<(), String> {
    if spec.contains('$') || spec.contains(".*") {
        return Err(format!(
            "format spec `{spec}`: width and precision must be numbers, not arguments"
        ));
    }
    // The grammar of `format_args!`: [[fill]align][sign]['#']['0'][width]['.' precision][type]
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '^' | '>');
    if chars.len() >= 2 && is_align(chars[1]) {
        i = 2;
    } else if chars.first().copied().is_some_and(is_align) {
        i = 1;
    }
    if matches!(chars.get(i), Some('+' | '-')) {
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        i += 1;
    }
    while chars.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return Err(format!(
                "format spec `{spec}`: a precision needs digits after `.`"
            ));
        }
        i += digits;
    }
    let kind: String = chars[i..].iter().collect();
    match kind.as_str() {
        "" | "?" | "x?" | "X?" => Ok(()),
        "x" | "X" | "o" | "b" | "e" | "E" | "p" => Err(format!(
            "format spec `{spec}` is not supported; use Display (`{{x}}`, `{{x:>8}}`, \
             `{{x:.2}}`) or Debug (`{{x:?}}`)"
        )),
        _ => Err(format!(
            "format spec `{spec}` is not valid: write `[[fill]align][sign][#][0][width][.precision][?]`, \
             e.g. `{{x:>8}}`, `{{x:.2}}` or `{{x:?}}`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_specs_follow_format_args() {
        for ok in [
            "", ">8", "*^10", "+.2", "#?", "08.3", "x?", "-<5", "<", "10",
        ] {
            assert!(check_spec(ok).is_ok(), "{ok:?}");
        }
        for bad in ["##", "é", "8x", ".", ">8q", "x", "5$", ".*"] {
            assert!(check_spec(bad).is_err(), "{bad:?}");
        }
    }

    fn field(name: &str) -> Piece {
        Piece::Field(Placeholder {
            name: Name::Named(name.to_owned()),
            spec: String::new(),
            field: None,
        })
    }

    fn lit(s: &str) -> Piece {
        Piece::Lit(s.to_owned())
    }

    fn scan(template: &str) -> Result<Vec<Piece>, String> {
        match super::scan(template) {
            (pieces, errors) if errors.is_empty() => Ok(pieces),
            (_, errors) => Err(errors.join("; ")),
        }
    }

    #[test]
    fn every_error_is_reported() {
        let (pieces, errors) = super::scan("{a:x} and {b} and {} and }");
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(pieces.contains(&field("b")));
        let (_, errors) = super::scan("{a{b} {c");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("inside a placeholder"));
        assert!(errors[1].contains("unclosed"));
    }

    #[test]
    fn sections() {
        let pieces = scan("a{#x}b {x}{/x}").unwrap();
        assert_eq!(
            pieces,
            vec![
                lit("a"),
                Piece::Open(Placeholder {
                    name: Name::Named("x".to_owned()),
                    spec: String::new(),
                    field: None
                }),
                lit("b "),
                field("x"),
                Piece::Close(Name::Named("x".to_owned())),
            ]
        );
        assert!(scan("{#x}").unwrap_err().contains("never closed"));
        assert!(scan("{/x}").unwrap_err().contains("never opened"));
        assert!(scan("{#x}{#y}{/x}{/y}").unwrap_err().contains("innermost"));
        assert!(scan("{#}{/}").unwrap_err().contains("section"));
        assert!(scan("{#a}{#b}{/b}{/a}").is_ok());
    }

    #[test]
    fn plain_text() {
        assert_eq!(scan("no fields").unwrap(), vec![lit("no fields")]);
        assert_eq!(scan("").unwrap(), vec![]);
    }

    #[test]
    fn fields_between_text() {
        assert_eq!(
            scan("Order {id} failed for {customer}").unwrap(),
            vec![
                lit("Order "),
                field("id"),
                lit(" failed for "),
                field("customer")
            ]
        );
        assert_eq!(scan("{a}{b}").unwrap(), vec![field("a"), field("b")]);
    }

    #[test]
    fn brace_escapes() {
        assert_eq!(scan("{{x}}").unwrap(), vec![lit("{x}")]);
        assert_eq!(
            scan("{{{id}}}").unwrap(),
            vec![lit("{"), field("id"), lit("}")]
        );
        assert_eq!(scan("a }} b").unwrap(), vec![lit("a } b")]);
    }

    #[test]
    fn tuple_indexes() {
        let pieces = scan("{0} and {12}").unwrap();
        assert!(matches!(&pieces[0], Piece::Field(p) if p.name == Name::Index(0)));
        assert!(matches!(&pieces[2], Piece::Field(p) if p.name == Name::Index(12)));
        assert!(scan("{01}").unwrap_err().contains("leading zeros"));
        assert!(
            scan("{99999999999999999999999}")
                .unwrap_err()
                .contains("too large")
        );
    }

    #[test]
    fn raw_and_unicode_names() {
        assert_eq!(scan("{r#type}").unwrap(), vec![field("type")]);
        assert_eq!(scan("{名前}").unwrap(), vec![field("名前")]);
        assert_eq!(scan("{_x1}").unwrap(), vec![field("_x1")]);
    }

    #[test]
    fn specs() {
        let pieces = scan("{amount:>8.2} {trace:?} {n:#?} {h:x?}").unwrap();
        let specs: Vec<&str> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Field(p) => Some(p.spec.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(specs, [">8.2", "?", "#?", "x?"]);
        assert!(scan("{a:x}").unwrap_err().contains("not supported"));
        assert!(scan("{a:08b}").unwrap_err().contains("not supported"));
        assert!(scan("{a:1$}").unwrap_err().contains("numbers"));
        assert!(scan("{a:.*}").unwrap_err().contains("numbers"));
        assert!(scan("{a:*<5}").is_ok());
        assert!(scan("{a:_<5}").is_ok());
        assert!(scan("{a:x<5}").is_ok());
    }

    #[test]
    fn errors() {
        assert!(scan("Order {id").unwrap_err().contains("unclosed `{`"));
        assert!(scan("{").unwrap_err().contains("unclosed `{`"));
        assert!(scan("a } b").unwrap_err().contains("unmatched `}`"));
        assert!(scan("{}").unwrap_err().contains("empty `{}`"));
        assert!(scan("{:>5}").unwrap_err().contains("empty `{}`"));
        assert!(scan("{a{b}}").unwrap_err().contains("inside a placeholder"));
        assert!(
            scan("{ id }")
                .unwrap_err()
                .contains("does not name a field")
        );
        assert!(scan("{a-b}").unwrap_err().contains("does not name a field"));
        assert!(scan("{_}").unwrap_err().contains("does not name a field"));
        assert!(scan("{1a}").unwrap_err().contains("does not name a field"));
    }
}
