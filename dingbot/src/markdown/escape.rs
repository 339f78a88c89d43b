//! The one escaper: what makes untrusted text inert in DingTalk markdown, and what
//! reverses it.

/// Placed after every `@` of escaped text, so that data can never mention anyone.
const MENTION_BREAK: char = '\u{200B}';

/// Every character some markdown renderer ends a line at: CommonMark's `\n`, `\r` (and
/// `\r\n` as one), plus what Java's `\R` and JavaScript's multi-line regexes also break
/// at — vertical tab, form feed, NEL and the Unicode line and paragraph separators.
/// (The scanners below work on bytes; the tests hold them to this definition.)
#[cfg(test)]
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// The length in bytes of the line break starting at `bytes[i]`, if one does (`\r\n`
/// counts as one break).
fn line_break_at(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes[i] {
        b'\r' if bytes.get(i + 1) == Some(&b'\n') => Some(2),
        b'\n' | b'\r' | 0x0B | 0x0C => Some(1),
        0xC2 if bytes.get(i + 1) == Some(&0x85) => Some(2),
        0xE2 if bytes.get(i + 1) == Some(&0x80)
            && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
        {
            Some(3)
        }
        _ => None,
    }
}

/// Whether `b` can begin a line break [`is_line_break`] knows (`\n`, VT, FF, `\r`, and
/// the first bytes of NEL, U+2028 and U+2029); a plain comparison, which the compiler
/// turns into a fast scan.
fn may_start_break(b: u8) -> bool {
    matches!(b, 0x0A..=0x0D | 0xC2 | 0xE2)
}

/// Where the first line break in `text` is, and how long it is.
fn find_line_break(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = bytes[from..].iter().position(|&b| may_start_break(b)) {
        let at = from + offset;
        if let Some(len) = line_break_at(bytes, at) {
            return Some((at, len));
        }
        from = at + 1;
    }
    None
}

/// Splits `text` at every line break [`is_line_break`] knows, `\r\n` counting as one.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match find_line_break(current) {
            Some((pos, len)) => {
                rest = Some(&current[pos + len..]);
                Some(&current[..pos])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// The line `text` ends with: what follows its last line break.
pub(crate) fn last_line(text: &str) -> &str {
    let bytes = text.as_bytes();
    // The last byte of each break: `\n` VT FF `\r`, NEL's 0x85, U+2028/9's 0xA8/0xA9.
    let mut end = bytes.len();
    while let Some(at) = bytes[..end]
        .iter()
        .rposition(|&b| matches!(b, 0x0A..=0x0D | 0x85 | 0xA8 | 0xA9))
    {
        let is_break = match bytes[at] {
            0x85 => at >= 1 && bytes[at - 1] == 0xC2,
            0xA8 | 0xA9 => at >= 2 && bytes[at - 2] == 0xE2 && bytes[at - 1] == 0x80,
            _ => true,
        };
        if is_break {
            return &text[at + 1..];
        }
        end = at;
    }
    text
}

/// Where escaped text begins, which decides what its first line needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Start {
    /// At the start of a line of its own: leading whitespace could start an indented
    /// code block, and `#`, `-`, `1.` ... a heading or a list.
    OwnLine,
    /// After digits that begin the line (`1` written before, say): a leading `.` or `)`
    /// would make them a list marker, besides everything [`Start::OwnLine`] escapes.
    AfterDigits,
    /// A fragment that may end up at the start of a line (the writer trims leading
    /// whitespace from blocks): block markers are escaped, leading space is kept.
    Fragment,
    /// After text on the same line that has made the line a paragraph (a letter): nothing
    /// at its start can begin a block, so only inline markup is escaped there.
    MidLine,
}

impl Start {
    /// Where text appended to `written` begins: mid-line once a letter on the current
    /// line has made it text; otherwise at a line start, where block markers count.
    pub(crate) fn after(written: &str) -> Start {
        let line = last_line(written);
        if line.chars().any(char::is_alphabetic) {
            Start::MidLine
        } else if line.ends_with(|c: char| c.is_ascii_digit()) {
            Start::AfterDigits
        } else {
            Start::OwnLine
        }
    }
}

/// Makes untrusted text inert in DingTalk markdown, while it still reads as it was.
///
/// - Markdown punctuation that can start a construct is backslash-escaped
///   (`\ ` `` ` `` `* _ [ ] < > | ~ &`), so no emphasis, link, image, code, HTML, table
///   or strikethrough can form.
/// - At the start of a line, `# - + =` and the `.`/`)` after a number are escaped, and a
///   leading space or tab becomes `&#32;`/`&#9;`, so no heading, list, quote, rule or
///   indented code block can form. Every line break a renderer may honour starts a line:
///   `\n`, `\r\n`, a lone `\r`, vertical tab, form feed, NEL, U+2028 and U+2029.
/// - Every `@` is followed by a zero-width space, so the text can never mention (and so
///   notify) anyone.
///
/// Escaping is reversible: [`unescape`] gives the original text back.
///
/// ```
/// use dingbot::markdown::{escape, unescape};
///
/// let evil = "# Hi\n- [x](https://evil.example) @13800000000\r# again";
/// let safe = escape(evil);
/// assert_eq!(safe, "\\# Hi\n\\- \\[x\\](https://evil.example) @\u{200B}13800000000\r\\# again");
/// assert_eq!(unescape(&safe), evil);
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8 + 8);
    escape_into(text, &mut out);
    out
}

/// [`escape`], appending to `out`.
pub fn escape_into(text: &str, out: &mut String) {
    escape_with(text, out, Start::OwnLine);
}

/// Appends `text` escaped, its lines joined by `separator` and its blank lines left out,
/// so that it stays inside the block it is written into.
pub(crate) fn escape_lines(out: &mut String, text: &str, separator: &str, start: Start) {
    if find_line_break(text).is_none() {
        // One line, the common case: no splitting.
        escape_with(text, out, start);
        return;
    }
    let mut lines = lines(text);
    if let Some(first) = lines.next() {
        escape_with(first, out, start);
    }
    for line in lines.filter(|l| !l.trim().is_empty()) {
        out.push_str(separator);
        escape_with(line, out, Start::OwnLine);
    }
}

/// Appends a value written into surrounding markdown (a template placeholder, a
/// field's value) so that it changes nothing around it: its blank lines are left out
/// (leading ones too, so it never ends the line it starts on), its lines are joined by
/// hard breaks, and the spaces and tabs at its two edges become `&#32;`/`&#9;` — raw,
/// they would decide whether the template's own `**` around the value is bold.
#[cfg(test)]
pub(crate) fn escape_value(out: &mut String, text: &str, start: Start) {
    escape_value_indented(out, text, start, 0);
}

/// [`escape_value`] inside a list item whose text starts at column `indent`: each line
/// after a break is indented to it, so that it stays in the item (a line at column 0
/// would end the list there, or start one of its own: `0)`).
pub(crate) fn escape_value_indented(out: &mut String, text: &str, start: Start, indent: usize) {
    let plain_edges = !text.starts_with([' ', '\t']) && !text.ends_with([' ', '\t']);
    if plain_edges && find_line_break(text).is_none() {
        // One line with nothing to do at its edges, the common case.
        escape_with(text, out, start);
        return;
    }
    let mut content = lines(text).filter(|l| !l.trim().is_empty()).peekable();
    if content.peek().is_none() {
        // Nothing but spaces and tabs, on one line, between words: kept, as entities
        // (at a line start they would show nothing anyway).
        if start == Start::MidLine && lines(text).nth(1).is_none() {
            push_whitespace(out, text);
        }
        return;
    }
    let mut first = true;
    while let Some(line) = content.next() {
        let last = content.peek().is_none();
        let mut line_start = Start::OwnLine;
        let mut line = line;
        if first {
            line_start = start;
            let body = line.trim_start_matches([' ', '\t']);
            let leading = &line[..line.len() - body.len()];
            if !leading.is_empty() {
                // After a space the value's own spaces change nothing (a padded number,
                // say); after anything else they could unbalance the template's `**`.
                if start == Start::MidLine && out.ends_with([' ', '\t']) {
                    out.push_str(leading);
                } else {
                    push_whitespace(out, leading);
                }
                line_start = Start::MidLine;
            }
            line = body;
        } else {
            out.push_str("  \n");
            for _ in 0..indent {
                out.push(' ');
            }
        }
        let body = if last {
            line.trim_end_matches([' ', '\t'])
        } else {
            line
        };
        escape_with(body, out, line_start);
        if last {
            push_whitespace(out, &line[body.len()..]);
        }
        first = false;
    }
}

/// Spaces and tabs as `&#32;` / `&#9;`, which no markdown rule reads as whitespace.
fn push_whitespace(out: &mut String, ws: &str) {
    for c in ws.chars() {
        match c {
            '\t' => out.push_str("&#9;"),
            ' ' => out.push_str("&#32;"),
            // Only spaces and tabs are passed in; anything else is kept as it is.
            other => out.push(other),
        }
    }
}

/// The escaper; `start` says what the first line needs (later lines are own lines).
fn escape_with(text: &str, out: &mut String, start: Start) {
    let bytes = text.as_bytes();
    let mut line_start = start != Start::MidLine;
    let mut after_digits = start == Start::AfterDigits;
    let mut first_line = true;
    let keep_indent = start == Start::Fragment;
    // Start of the run of bytes that need no escaping, copied in one go.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !line_start {
            // Most text needs nothing: skip it in one tight loop.
            while i < bytes.len() && !SPECIAL[usize::from(bytes[i])] {
                i += 1;
            }
            if i == bytes.len() {
                break;
            }
        }
        if let Some(len) = line_break_at(bytes, i) {
            line_start = true;
            after_digits = false;
            first_line = false;
            i += len;
            continue;
        }
        let b = bytes[i];
        let replacement: Option<&str> = if line_start {
            line_start = false;
            match b {
                // A fragment's leading whitespace is kept, and what follows it is
                // still the start of the line (up to 3 spaces may indent a heading).
                b' ' | b'\t' if first_line && keep_indent => {
                    line_start = true;
                    None
                }
                b' ' => Some("&#32;"),
                b'\t' => Some("&#9;"),
                b'#' | b'-' | b'+' | b'=' => Some(""),
                b'.' | b')' if first_line && after_digits => Some(""),
                b'0'..=b'9' => {
                    let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                    let after = i + digits;
                    if matches!(bytes.get(after), Some(b'.' | b')')) {
                        out.push_str(&text[run..after]);
                        out.push('\\');
                        run = after;
                    }
                    i = after;
                    continue;
                }
                _ => inline_replacement(b),
            }
        } else {
            inline_replacement(b)
        };
        match replacement {
            None => i += 1,
            Some(rep) => {
                out.push_str(&text[run..i]);
                if rep.is_empty() {
                    // Escape with a backslash, keep the byte itself.
                    out.push('\\');
                    run = i;
                } else if b == b'@' {
                    out.push('@');
                    out.push(MENTION_BREAK);
                    run = i + 1;
                } else {
                    out.push_str(rep);
                    run = i + 1;
                }
                i += 1;
            }
        }
    }
    out.push_str(&text[run..]);
}

/// The bytes that need a look inside a line: what [`inline_replacement`] escapes, and
/// the first bytes of line breaks (the next byte starts a line).
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"\\`*_[]<>|~&@\n\r\x0B\x0C\xC2\xE2";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// What replaces an ASCII byte anywhere in a line: `Some("")` means "prefix a backslash".
fn inline_replacement(b: u8) -> Option<&'static str> {
    match b {
        b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'<' | b'>' | b'|' | b'~' | b'&' => Some(""),
        b'@' => Some("@"),
        _ => None,
    }
}

/// Reverses [`escape`]: removes backslash escapes, the leading-whitespace entities and the
/// zero-width space after `@`.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(['\\', '&', '@']) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        let (decoded, used): (&str, usize) = if let Some(t) = tail.strip_prefix('\\') {
            match t.chars().next() {
                Some(c) if c.is_ascii_punctuation() => (&t[..1], 2),
                _ => ("\\", 1),
            }
        } else if tail.starts_with("&#32;") {
            (" ", 5)
        } else if tail.starts_with("&#9;") {
            ("\t", 4)
        } else if let Some(after_at) = tail.strip_prefix('@') {
            let zw = after_at.starts_with(MENTION_BREAK);
            ("@", 1 + if zw { MENTION_BREAK.len_utf8() } else { 0 })
        } else {
            ("&", 1)
        };
        out.push_str(decoded);
        rest = &tail[used..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
#[path = "escape_tests.rs"]
mod tests;
