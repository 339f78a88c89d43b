//! Text from outside (a request's fields, a URL path, DingTalk's `errmsg`, an error that
//! quotes its input) made safe to print where people read: [`safe`] is the one function
//! for it, and [`SafeLog`] applies it to every line of the bridge's text log.
//!
//! What a terminal would act on is escaped, so it shows instead of acting: C0 control
//! characters (ESC starts colour, cursor and title sequences; a line break forges a log
//! line), DEL, the C1 controls (U+0080–U+009F, U+009B being a one-character CSI) and the
//! bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what
//! follows them on the line. A long value is cut, and says how long it was.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

/// Whether a terminal would act on `c` rather than show it.
fn acts(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` ready to print: every control character and bidi override escaped (`\n`,
/// `\u{1b}`, `\u{202e}`), and when it is over `max` bytes, its first `max` bytes (to a
/// character boundary) followed by `…(N bytes)`, N being its whole length. Borrowed when
/// there is nothing to change.
pub fn safe(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max && !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = String::with_capacity(end + 16);
    for c in text[..end].chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if acts(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    if end < text.len() {
        let _ = write!(out, "…({} bytes)", text.len());
    }
    Cow::Owned(out)
}

/// The longest line of the bridge's text log; a longer one is cut, with its length.
pub const MAX_LOG_LINE: usize = 16 * 1024;

/// A writer for a text log: each write is one formatted event (tracing-subscriber's fmt
/// layer writes an event at once), written to stderr through [`safe`], its final line
/// break kept. Whatever a field holds (a target name from the URL, serde's error quoting
/// the input, DingTalk's `errmsg`, an alert's title), it cannot move the cursor, recolour
/// the terminal, reorder the line or start a line of its own.
pub struct SafeLog;

impl io::Write for SafeLog {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let (line, end) = match text.strip_suffix('\n') {
            Some(line) => (line, "\n"),
            None => (&*text, ""),
        };
        let mut stderr = io::stderr().lock();
        stderr.write_all(safe(line, MAX_LOG_LINE).as_bytes())?;
        stderr.write_all(end.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn plain_text_is_borrowed_as_it_is() {
        for text in [
            "",
            "errcode 0 ok",
            "告警: disk full on db-1",
            "tab-free \\u{1b}",
        ] {
            assert!(matches!(safe(text, 100), std::borrow::Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_escaped() {
        let cases = [
            ("\u{1b}]0;x\u{7}", "\\u{1b}]0;x\\u{7}"),
            ("\u{1b}[31mred", "\\u{1b}[31mred"),
            ("a\nb\r\tc", "a\\nb\\r\\tc"),
            ("\u{0}\u{7f}", "\\u{0}\\u{7f}"),
            ("\u{9b}31m\u{85}", "\\u{9b}31m\\u{85}"),
            ("abc\u{202e}fed", "abc\\u{202e}fed"),
            (
                "\u{202a}\u{202b}\u{202c}\u{202d}\u{2066}\u{2067}\u{2068}\u{2069}",
                "\\u{202a}\\u{202b}\\u{202c}\\u{202d}\\u{2066}\\u{2067}\\u{2068}\\u{2069}",
            ),
            (
                "x\n#2 POST /robot/send text: errcode 0 ok",
                "x\\n#2 POST /robot/send text: errcode 0 ok",
            ),
            // Marks and joiners that do not reorder stay as they are.
            ("\u{200d}é\u{200e}", "\u{200d}é\u{200e}"),
        ];
        for (text, escaped) in cases {
            assert_eq!(safe(text, 1000), escaped, "{text:?}");
        }
    }

    #[test]
    fn long_values_are_cut_with_their_length() {
        let long = "x".repeat(5_000_000);
        assert_eq!(safe(&long, 10), "xxxxxxxxxx…(5000000 bytes)");
        // Cut at a character boundary, never inside one.
        assert_eq!(safe("ééé", 3), "é…(6 bytes)");
        assert_eq!(safe("abc", 3), "abc");
        assert_eq!(safe("\u{1b}\u{1b}\u{1b}", 2), "\\u{1b}\\u{1b}…(3 bytes)");
    }
}
