//! DingTalk's markdown subset: a [`Writer`] for message bodies, and [`escape`] to make
//! untrusted text inert.
//!
//! DingTalk renders headings (`#`..`######`), `>` quotes, `**bold**`, `*italic*`,
//! `[text](url)`, `![](image)`, `-` lists and `1.` ordered lists. A single newline often
//! does not break a line, so the writer separates blocks with a blank line and breaks
//! lines inside a block with two trailing spaces.
//!
//! Everything the writer is given as text is escaped; [`Inline`] is markup that is safe
//! by construction, and [`Inline::raw`] is the one way to put trusted markdown in.
//!
//! ```
//! use dingbot::markdown::{Inline, Writer};
//!
//! let reason = "card declined **[refund](https://evil.example)**";
//! let body = Writer::new()
//!     .heading(4, "Order 42 failed")
//!     .field("Reason", reason)
//!     .paragraph(Inline::link("Open the order", "https://crm.example.com/orders/42"))
//!     .finish();
//! assert_eq!(
//!     body,
//!     "#### Order 42 failed\n\n\
//!      **Reason**: card declined \\*\\*\\[refund\\](https://evil.example)\\*\\*\n\n\
//!      [Open the order](https://crm.example.com/orders/42)"
//! );
//! ```

use std::fmt;
use std::ops::{Add, AddAssign};

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

/// Placed after every `@` of escaped text, so that data can never mention anyone.
const MENTION_BREAK: char = '\u{200B}';

/// Makes untrusted text inert in DingTalk markdown, while it still reads as it was.
///
/// - Markdown punctuation that can start a construct is backslash-escaped
///   (`\ ` `` ` `` `* _ [ ] < > | ~ &`), so no emphasis, link, image, code, HTML, table
///   or strikethrough can form.
/// - At the start of a line, `# - + =` and the `.`/`)` after a number are escaped, and a
///   leading space or tab becomes `&#32;`/`&#9;`, so no heading, list, quote, rule or
///   indented code block can form.
/// - Every `@` is followed by a zero-width space, so the text can never mention (and so
///   notify) anyone.
///
/// Escaping is reversible: [`unescape`] gives the original text back.
///
/// ```
/// use dingbot::markdown::{escape, unescape};
///
/// let evil = "# Hi\n- [x](https://evil.example) @13800000000";
/// let safe = escape(evil);
/// assert_eq!(safe, "\\# Hi\n\\- \\[x\\](https://evil.example) @\u{200B}13800000000");
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

/// Where escaped text begins, which decides what its first line needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    /// At the start of a line of its own: leading whitespace could start an indented
    /// code block, and `#`, `-`, `1.` ... a heading or a list.
    OwnLine,
    /// A fragment that may end up at the start of a line (the writer trims leading
    /// whitespace from blocks): block markers are escaped, leading space is kept.
    Fragment,
    /// After other text on the same line (`**Label**: value`): nothing at its start can
    /// begin a block, so only inline markup is escaped there.
    MidLine,
}

/// Appends `text` escaped, its lines joined by `separator` and its blank lines left out,
/// so that it stays inside the block it is written into.
pub(crate) fn escape_lines(out: &mut String, text: &str, separator: &str, start: Start) {
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    if let Some(first) = lines.next() {
        escape_with(first, out, start);
    }
    for line in lines.filter(|l| !l.trim().is_empty()) {
        out.push_str(separator);
        escape_with(line, out, Start::OwnLine);
    }
}

/// The escaper; `start` says what the first line needs (later lines are own lines).
fn escape_with(text: &str, out: &mut String, start: Start) {
    let bytes = text.as_bytes();
    let mut line_start = start != Start::MidLine;
    let mut first_line = true;
    let own_line = start == Start::OwnLine;
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
        let b = bytes[i];
        let replacement: Option<&str> = if line_start {
            line_start = false;
            match b {
                // A fragment's leading whitespace is kept, and what follows it is
                // still the start of the line (up to 3 spaces may indent a heading).
                b' ' | b'\t' if first_line && !own_line => {
                    line_start = true;
                    None
                }
                b' ' => Some("&#32;"),
                b'\t' => Some("&#9;"),
                b'#' | b'-' | b'+' | b'=' => Some(""),
                b'0'..=b'9' => {
                    let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                    let after = i + digits;
                    if matches!(bytes.get(after), Some(b'.' | b')')) {
                        out.push_str(&text[run..after]);
                        out.push('\\');
                        run = after;
                        i = after;
                        continue;
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
            None => {
                if b == b'\n' || b == b'\r' {
                    line_start = true;
                    first_line = false;
                }
                i += 1;
            }
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
/// line ends (the next byte starts a line).
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"\\`*_[]<>|~&@\n\r";
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

/// Characters percent-encoded in a link or image URL so it cannot end the markdown early.
const URL_UNSAFE: &AsciiSet = &{
    let mut set = AsciiSet::add(CONTROLS, b' ');
    let mut i = 0;
    let bytes = b" ()<>\"`";
    while i < bytes.len() {
        set = AsciiSet::add(&set, bytes[i]);
        i += 1;
    }
    set
};

/// A URL made safe inside `(...)`: spaces, parentheses and angle brackets percent-encoded.
fn safe_url(url: &str) -> String {
    utf8_percent_encode(url.trim(), URL_UNSAFE).to_string()
}

/// A URL that opens `url` from DingTalk: in the desktop side panel when `pc_slide` is
/// true, in the browser otherwise (`dingtalk://dingtalkclient/page/link?...`).
///
/// ```
/// let url = dingbot::markdown::dingtalk_link("https://example.com/a?b=1", true);
/// assert_eq!(url, "dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fexample%2Ecom%2Fa%3Fb%3D1&pc_slide=true");
/// ```
pub fn dingtalk_link(url: &str, pc_slide: bool) -> String {
    format!(
        "dingtalk://dingtalkclient/page/link?url={}&pc_slide={}",
        utf8_percent_encode(url, NON_ALPHANUMERIC),
        pc_slide
    )
}

/// A piece of markdown that is safe by construction: text given to it is escaped,
/// except through [`Inline::raw`].
///
/// `From<&str>` and `From<String>` escape, so writer methods accept plain strings.
/// Combine pieces with `+`.
///
/// ```
/// use dingbot::markdown::Inline;
///
/// let line = Inline::bold("Status") + ": " + Inline::italic("degraded_mode");
/// assert_eq!(line.as_str(), "**Status**: *degraded\\_mode*");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inline(String);

impl Inline {
    /// Untrusted text, escaped; newlines become line breaks DingTalk honours.
    ///
    /// Blank lines are dropped, so the text stays within the paragraph it is put in.
    pub fn text(text: &str) -> Inline {
        let mut out = String::with_capacity(text.len() + 8);
        escape_lines(&mut out, text, "  \n", Start::Fragment);
        Inline(out)
    }

    /// Trusted markdown, inserted as it is.
    pub fn raw(markdown: impl Into<String>) -> Inline {
        Inline(markdown.into())
    }

    /// `**text**`
    pub fn bold(text: impl Into<Inline>) -> Inline {
        Inline::wrap("**", text.into())
    }

    /// `*text*`
    pub fn italic(text: impl Into<Inline>) -> Inline {
        Inline::wrap("*", text.into())
    }

    /// `[text](url)`; the URL is percent-encoded where it could end the link early.
    pub fn link(text: impl Into<Inline>, url: &str) -> Inline {
        Inline(format!("[{}]({})", text.into().0, safe_url(url)))
    }

    /// `![](url)`: an image; DingTalk shows only public http(s) images.
    pub fn image(url: &str) -> Inline {
        Inline(format!("![]({})", safe_url(url)))
    }

    /// `@mobile` or `@userId`: a mention (it notifies only if the message also lists the
    /// id in its `at`).
    pub fn mention(id: &str) -> Inline {
        Inline(format!("@{}", id.trim()))
    }

    /// A line break inside a paragraph (two spaces and a newline).
    pub fn line_break() -> Inline {
        Inline("  \n".to_owned())
    }

    /// The markdown.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The markdown, as a `String`.
    pub fn into_string(self) -> String {
        self.0
    }

    fn wrap(marker: &str, inner: Inline) -> Inline {
        // Emphasis must hug its text: `** x**` does not render as bold.
        let trimmed = inner.0.trim();
        if trimmed.is_empty() {
            return Inline::default();
        }
        Inline(format!("{marker}{trimmed}{marker}"))
    }
}

impl fmt::Display for Inline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Inline {
    fn from(text: &str) -> Inline {
        Inline::text(text)
    }
}

impl From<&String> for Inline {
    fn from(text: &String) -> Inline {
        Inline::text(text)
    }
}

impl From<String> for Inline {
    fn from(text: String) -> Inline {
        Inline::text(&text)
    }
}

impl<T: Into<Inline>> Add<T> for Inline {
    type Output = Inline;
    fn add(mut self, rhs: T) -> Inline {
        self += rhs;
        self
    }
}

impl<T: Into<Inline>> AddAssign<T> for Inline {
    fn add_assign(&mut self, rhs: T) {
        self.0.push_str(&rhs.into().0);
    }
}

/// Builds a markdown body block by block; blocks are separated by a blank line, which
/// DingTalk always renders as a break.
///
/// ```
/// use dingbot::markdown::{Inline, Writer};
///
/// let md = Writer::new()
///     .heading(3, "Nightly build")
///     .quote("3 tests failed")
///     .list(["api::orders", "api::refunds", "web::login"])
///     .ordered_list([Inline::bold("rerun"), Inline::text("page the owner")])
///     .image("https://ci.example.com/chart.png")
///     .finish();
/// assert_eq!(
///     md,
///     "### Nightly build\n\n> 3 tests failed\n\n- api::orders\n- api::refunds\n- web::login\n\n\
///      1. **rerun**\n2. page the owner\n\n![](https://ci.example.com/chart.png)"
/// );
/// ```
#[derive(Clone, Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    /// An empty body.
    pub fn new() -> Writer {
        Writer::default()
    }

    fn block(mut self, block: &str) -> Writer {
        if block.trim().is_empty() {
            return self;
        }
        if !self.out.is_empty() {
            self.out.push_str("\n\n");
        }
        self.out.push_str(block);
        self
    }

    /// A heading, level 1 to 6 (other levels are clamped).
    pub fn heading(self, level: u8, text: impl Into<Inline>) -> Writer {
        let level = usize::from(level.clamp(1, 6));
        let text = text.into().0.replace("  \n", " ");
        self.block(&format!("{} {}", "#".repeat(level), text))
    }

    /// A paragraph.
    pub fn paragraph(self, text: impl Into<Inline>) -> Writer {
        self.block(text.into().0.trim_start_matches([' ', '\t']))
    }

    /// `**label**: value`, one field of an event, as its own paragraph.
    pub fn field(self, label: &str, value: impl Into<Inline>) -> Writer {
        let line = Inline::bold(label) + ": " + value.into();
        self.block(&line.0)
    }

    /// A `>` quote; every line of it is quoted.
    pub fn quote(self, text: impl Into<Inline>) -> Writer {
        let text = text.into().0;
        // Leading whitespace never shows in a quote, and could indent a code block there.
        let quoted: Vec<String> = text
            .split('\n')
            .map(|l| format!("> {}", l.trim_start_matches([' ', '\t'])))
            .collect();
        self.block(&quoted.join("\n"))
    }

    /// A `-` list, one item per element.
    pub fn list<I, T>(self, items: I) -> Writer
    where
        I: IntoIterator<Item = T>,
        T: Into<Inline>,
    {
        let lines: Vec<String> = items
            .into_iter()
            .map(|i| format!("- {}", flat(i.into())))
            .collect();
        self.block(&lines.join("\n"))
    }

    /// A `1.` ordered list, one item per element.
    pub fn ordered_list<I, T>(self, items: I) -> Writer
    where
        I: IntoIterator<Item = T>,
        T: Into<Inline>,
    {
        let lines: Vec<String> = items
            .into_iter()
            .enumerate()
            .map(|(n, i)| format!("{}. {}", n + 1, flat(i.into())))
            .collect();
        self.block(&lines.join("\n"))
    }

    /// An image on its own line.
    pub fn image(self, url: &str) -> Writer {
        self.block(&Inline::image(url).0)
    }

    /// Trusted markdown, as its own block.
    pub fn raw(self, markdown: &str) -> Writer {
        self.block(markdown)
    }

    /// The length of the body so far, in bytes.
    pub fn len(&self) -> usize {
        self.out.len()
    }

    /// Whether nothing has been written yet.
    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// The markdown body.
    pub fn finish(self) -> String {
        self.out
    }
}

/// A list item must stay on one line, and its leading whitespace (which never shows)
/// could indent a code block inside the item.
fn flat(item: Inline) -> String {
    item.0
        .replace("  \n", " ")
        .trim_start_matches([' ', '\t'])
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_line_start_constructs() {
        assert_eq!(escape("# h"), "\\# h");
        assert_eq!(
            escape("a\n- b\n+ c\n1. d\n12) e\n= f"),
            "a\n\\- b\n\\+ c\n1\\. d\n12\\) e\n\\= f"
        );
        assert_eq!(escape("    code"), "&#32;   code");
        assert_eq!(escape("a # b - c 1. d"), "a # b - c 1. d");
        assert_eq!(escape("2024 sales"), "2024 sales");
    }

    #[test]
    fn escapes_inline_constructs() {
        assert_eq!(
            escape("*a* _b_ `c` <b> | ~~d~~ & \\"),
            "\\*a\\* \\_b\\_ \\`c\\` \\<b\\> \\| \\~\\~d\\~\\~ \\& \\\\"
        );
        assert_eq!(escape("![x](y)"), "!\\[x\\](y)");
    }

    #[test]
    fn roundtrip_edge_cases() {
        for s in [
            "",
            "@",
            "@\u{200B}",
            "&#32;",
            "\\",
            "\\\\n",
            "\r\n# x",
            "中文 @张三",
            "1.",
            "9",
        ] {
            assert_eq!(unescape(&escape(s)), s, "{s:?}");
        }
    }

    #[test]
    fn inline_text_breaks_lines() {
        assert_eq!(Inline::text("a\nb").as_str(), "a  \nb");
        assert_eq!(Inline::text("a\r\n# b").as_str(), "a  \n\\# b");
        assert_eq!(Inline::text(" a\n\n  \n b").as_str(), " a  \n&#32;b");
    }

    #[test]
    fn link_url_cannot_break_out() {
        assert_eq!(
            Inline::link("x", "https://a.b/c d)e").as_str(),
            "[x](https://a.b/c%20d%29e)"
        );
    }
}
