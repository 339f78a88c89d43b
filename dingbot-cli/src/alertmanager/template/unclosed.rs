//! A block left open at the end of a template (`{{ if }}`, `{{ range }}`, `{{ with }}`,
//! `{{ define }}`, `{{ block }}` without its `{{ end }}`): Go's parser refuses it
//! (`unexpected EOF`), gotmpl's accepts it as if closed, so the adapter looks for one
//! itself, by the actions' first words.

/// The line of the first block `source` leaves open, and its keyword.
pub fn first_unclosed(source: &str) -> Option<(usize, &str)> {
    let mut open: Vec<(usize, &str)> = Vec::new();
    let mut rest = source;
    let mut line = 1;
    while let Some(start) = rest.find("{{") {
        line += rest[..start].matches('\n').count();
        let action = &rest[start + 2..];
        let len = action_len(action)?;
        let body = action[..len].trim_start_matches('-').trim_start();
        if !body.starts_with("/*") {
            let word = body
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or_default();
            match word {
                "if" | "range" | "with" | "define" | "block" => open.push((line, word)),
                "end" => {
                    open.pop();
                }
                _ => {}
            }
        }
        line += action[..len].matches('\n').count();
        rest = &action[len + 2..];
    }
    open.first().copied()
}

/// The length of the action at the start of `text` (after `{{`), up to its `}}`, past
/// quoted strings and comments; `None` when it never ends (gotmpl reports that).
fn action_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let trimmed = text.trim_start_matches('-').trim_start();
    if trimmed.starts_with("/*") {
        let offset = text.len() - trimmed.len();
        let end = trimmed.find("*/")?;
        let after = offset + end + 2;
        return text[after..].find("}}").map(|i| after + i);
    }
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'}' if bytes.get(i + 1) == Some(&b'}') => return Some(i),
            quote @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'`' => i += text[i + 1..].find('`')? + 1,
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::first_unclosed;

    #[test]
    fn an_open_block_is_found_with_its_line() {
        assert_eq!(
            first_unclosed("{{ define \"x\" }}\n\n{{ if .A }}\nx\n"),
            Some((1, "define"))
        );
        assert_eq!(
            first_unclosed("{{ define \"x\" }}{{ end }}\n{{- range .A }}"),
            Some((2, "range"))
        );
        assert_eq!(
            first_unclosed("{{ if .A }}{{ else if .B }}{{ end }}{{/* {{ if */}}"),
            None
        );
        assert_eq!(
            first_unclosed("{{ with \"}}{{ if\" }}{{ end }}{{ `}}` }}"),
            None
        );
    }
}
