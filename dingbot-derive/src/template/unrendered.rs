//! What DingTalk's markdown does not render, found in a markdown template's own text:
//! link and image targets that are not absolute URLs it opens, code spans and fences,
//! tables, raw HTML. The facts (names, hints, schemes) are `crate::subset`'s; a value is
//! escaped when the message is built, so only the literal text is looked at.

use super::link::{Outline, Target};
use crate::subset::{self, CODE_BLOCK, CODE_SPAN, Construct, HTML, LINK_SCHEMES, TABLE};

/// Whether `url`, a template's text before its first placeholder, starts an absolute URL
/// of one of DingTalk's [`LINK_SCHEMES`].
pub fn is_absolute(url: &str) -> bool {
    let url = url.to_ascii_lowercase();
    LINK_SCHEMES.iter().any(|scheme| {
        url.strip_prefix(scheme)
            .is_some_and(|rest| rest.starts_with("://"))
    })
}

/// `` `https://`, `http://` or `dingtalk://` ``, from [`LINK_SCHEMES`].
pub fn schemes() -> String {
    let mut schemes: Vec<String> = LINK_SCHEMES.iter().map(|s| format!("`{s}://`")).collect();
    // The web's first, `https` before `http`.
    schemes.sort_by_key(|s| (s.starts_with("`dingtalk"), !s.starts_with("`https")));
    match schemes.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The targets of `outline` DingTalk cannot open: not a whole value, and not starting
/// with an absolute URL.
pub fn relative_targets(outline: &Outline) -> impl Iterator<Item = &Target> {
    outline.targets.iter().filter(|target| {
        let start = target.start.trim_start_matches([' ', '\t', '<']);
        !target.value_first && !is_absolute(start)
    })
}

/// The constructs DingTalk does not render found in `text` (an [`Outline::text`]), each
/// once, in the table's order.
pub fn unrendered(text: &str) -> Vec<&'static Construct> {
    let found = [
        (&CODE_SPAN, has_code_span(text)),
        (&CODE_BLOCK, has_fence(text)),
        (&TABLE, has_table(text)),
        (&HTML, has_html(text)),
    ];
    let found: Vec<&'static Construct> = found
        .into_iter()
        .filter_map(|(construct, found)| found.then_some(construct))
        .collect();
    subset::CONSTRUCTS
        .iter()
        .filter(|c| found.contains(c))
        .collect()
}

/// Each character with whether a backslash escapes it.
fn unescaped(line: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut escaped = false;
    line.char_indices().filter(move |&(_, c)| {
        let plain = !escaped;
        escaped = c == '\\' && !escaped;
        plain
    })
}

/// A line that opens or closes a fence: ```` ``` ```` or `~~~` after at most three spaces.
fn is_fence(line: &str) -> bool {
    let rest = line.trim_start_matches(' ');
    line.len() - rest.len() <= 3 && (rest.starts_with("```") || rest.starts_with("~~~"))
}

fn has_fence(text: &str) -> bool {
    text.lines().any(is_fence)
}

/// A backtick that is not escaped, outside fence lines (reported as a code block).
fn has_code_span(text: &str) -> bool {
    text.lines()
        .filter(|line| !is_fence(line))
        .any(|line| unescaped(line).any(|(_, c)| c == '`'))
}

/// A table's separator row (`|---|---|`, `--- | ---`) under a row with a `|`.
fn has_table(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    lines.windows(2).any(|pair| {
        let (head, separator) = (pair[0], pair[1].trim());
        let is_separator = separator.contains('|')
            && separator.contains('-')
            && separator
                .chars()
                .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'));
        is_separator && unescaped(head).any(|(_, c)| c == '|')
    })
}

/// An HTML tag (`<b>`, `</b>`, `<a href="...">`, `<br/>`) or comment (`<!--`).
fn has_html(text: &str) -> bool {
    unescaped(text).any(|(i, c)| {
        if c != '<' {
            return false;
        }
        let rest = &text[i + 1..];
        if rest.starts_with("!--") {
            return true;
        }
        let name = rest.strip_prefix('/').unwrap_or(rest);
        let len = name
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(name.len());
        let starts_with_letter = name.starts_with(|c: char| c.is_ascii_alphabetic());
        let after = &name[len..];
        starts_with_letter
            && (after.starts_with(['>', '/', ' ', '\t', '\n']))
            && after.contains('>')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&'static str> {
        unrendered(text).into_iter().map(|c| c.name).collect()
    }

    #[test]
    fn absolute_urls() {
        assert!(is_absolute("https://crm.example.com/"));
        assert!(is_absolute("HTTP://a"));
        assert!(is_absolute("dingtalk://dingtalkclient/page/link?url="));
        assert!(!is_absolute("/orders/"));
        assert!(!is_absolute("crm.example.com/"));
        assert!(!is_absolute("mailto:ops@example.com"));
        assert!(!is_absolute("https:/a"));
        assert!(!is_absolute(""));
        assert_eq!(schemes(), "`https://`, `http://` or `dingtalk://`");
    }

    #[test]
    fn finds_what_dingtalk_does_not_render() {
        assert_eq!(names("run `cargo test` now"), ["code span"]);
        assert_eq!(names("```\nlog\n```"), ["code block"]);
        assert_eq!(names("  ~~~rust"), ["code block"]);
        assert_eq!(names("| a | b |\n|---|---|\n| 1 | 2 |"), ["table"]);
        assert_eq!(names("a | b\n--- | ---"), ["table"]);
        assert_eq!(names("<b>bold</b>"), ["HTML tag"]);
        assert_eq!(names("line<br/>break"), ["HTML tag"]);
        assert_eq!(names("<a href=\"https://a.example\">x</a>"), ["HTML tag"]);
        assert_eq!(names("<!-- note -->"), ["HTML tag"]);
        assert_eq!(
            names("`x`\n```\n<i>y</i>"),
            ["code span", "code block", "HTML tag"]
        );
    }

    #[test]
    fn leaves_what_renders_or_is_escaped() {
        for text in [
            "#### Order 42 failed\n\n**Reason**: card *declined*",
            r"a \` tick, a \<b> and a \| pipe",
            "a < b and c > d, 1 <2>",
            "x <\u{FFFC}>",
            "| only pipes |\n\n---",
            "- item\n- item\n\n1. first",
            "> quoted | with a pipe",
            "a | b\n\n---",
        ] {
            assert_eq!(names(text), Vec::<&str>::new(), "{text:?}");
        }
    }
}
