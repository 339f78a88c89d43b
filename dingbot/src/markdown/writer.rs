//! [`Writer`]: the one place markdown bodies are put together.

use std::fmt::{self, Write as _};

use super::escape::{Start, escape_lines, escape_value_indented, lines};
use super::{Inline, url};

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
    pub(crate) out: String,
    /// Where `Display` values are formatted before they are escaped.
    scratch: String,
    /// The column the list item being written starts its text at (0 outside lists): a
    /// value's later lines are indented to it, so that they stay in the item.
    pub(crate) indent: usize,
}

impl Writer {
    /// An empty body.
    pub fn new() -> Writer {
        Writer::default()
    }

    /// An empty body with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Writer {
        Writer {
            out: String::with_capacity(capacity),
            scratch: String::new(),
            indent: 0,
        }
    }

    /// A heading, level 1 to 6 (other levels are clamped).
    #[must_use]
    pub fn heading(mut self, level: u8, text: impl Into<Inline>) -> Writer {
        let text = text.into();
        self.open_heading(level);
        self.out.push_str(&text.as_str().replace("  \n", " "));
        self
    }

    /// A paragraph.
    #[must_use]
    pub fn paragraph(mut self, text: impl Into<Inline>) -> Writer {
        self.push_block(text.into().as_str().trim_start_matches([' ', '\t']));
        self
    }

    /// `**label**: value`, one field of an event, as its own paragraph.
    #[must_use]
    pub fn field(mut self, label: &str, value: impl Into<Inline>) -> Writer {
        let value = value.into();
        self.open_field(label);
        self.out.push_str(value.as_str());
        self
    }

    /// A `>` quote; every line of it is quoted.
    #[must_use]
    pub fn quote(mut self, text: impl Into<Inline>) -> Writer {
        let text = text.into();
        self.open_block();
        // Leading whitespace never shows in a quote, and could indent a code block there.
        for (i, line) in lines(text.as_str()).enumerate() {
            if i > 0 {
                self.out.push('\n');
            }
            self.out.push_str("> ");
            self.out.push_str(line.trim_start_matches([' ', '\t']));
        }
        self
    }

    /// A `-` list, one item per element.
    #[must_use]
    pub fn list<I, T>(self, items: I) -> Writer
    where
        I: IntoIterator<Item = T>,
        T: Into<Inline>,
    {
        self.marked_items(items, |_| "- ".into())
    }

    /// A `1.` ordered list, one item per element.
    #[must_use]
    pub fn ordered_list<I, T>(self, items: I) -> Writer
    where
        I: IntoIterator<Item = T>,
        T: Into<Inline>,
    {
        self.marked_items(items, |n| format!("{}. ", n + 1).into())
    }

    fn marked_items<I, T>(
        mut self,
        items: I,
        marker: impl Fn(usize) -> std::borrow::Cow<'static, str>,
    ) -> Writer
    where
        I: IntoIterator<Item = T>,
        T: Into<Inline>,
    {
        let mut list = String::new();
        for (n, item) in items.into_iter().enumerate() {
            if n > 0 {
                list.push('\n');
            }
            list.push_str(&marker(n));
            // An item stays on one line; its leading whitespace (which never shows)
            // could indent a code block inside the item.
            let item = item.into();
            let mut parts = lines(item.as_str().trim_start_matches([' ', '\t']));
            if let Some(first) = parts.next() {
                list.push_str(first.trim_end());
            }
            for part in parts.filter(|p| !p.trim().is_empty()) {
                list.push(' ');
                list.push_str(part.trim());
            }
        }
        self.push_block(&list);
        self
    }

    /// An image on its own line (nothing for a URL that is not `http(s)://`).
    #[must_use]
    pub fn image(mut self, url: &str) -> Writer {
        self.push_block(Inline::image(url).as_str());
        self
    }

    /// Trusted markdown, as its own block.
    #[must_use]
    pub fn raw(mut self, markdown: &str) -> Writer {
        self.push_block(markdown);
        self
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

    // ----- in place, for generated code (through `__private::Body`) -----

    /// Starts a new block: a blank line after what is there.
    pub(crate) fn open_block(&mut self) {
        // A new block is outside any list.
        self.indent = 0;
        // After a template's own blank line (before a flattened type's lines, say), no
        // second one.
        if self.out.is_empty() || self.out.ends_with("\n\n") {
            return;
        }
        if self.out.ends_with('\n') {
            self.out.push('\n');
        } else {
            self.out.push_str("\n\n");
        }
    }

    /// A block of trusted markdown (nothing for a blank one).
    fn push_block(&mut self, block: &str) {
        if !block.trim().is_empty() {
            self.open_block();
            self.out.push_str(block);
        }
    }

    /// Opens a heading block: `#### `.
    fn open_heading(&mut self, level: u8) {
        self.open_block();
        for _ in 0..level.clamp(1, 6) {
            self.out.push('#');
        }
        self.out.push(' ');
    }

    /// `#### text`: untrusted text as a level-4 heading on one line.
    pub(crate) fn push_heading(&mut self, text: &str) {
        self.open_heading(4);
        escape_lines(&mut self.out, text, " ", Start::MidLine);
    }

    /// Opens a field block: `**label**: `, the label escaped.
    pub(crate) fn open_field(&mut self, label: &str) {
        self.open_block();
        self.push_label(label);
    }

    /// `**label**: ` where the body is now, the label escaped (and left out when blank).
    pub(crate) fn push_label(&mut self, label: &str) {
        let label = label.trim();
        if !label.is_empty() {
            self.out.push_str("**");
            escape_lines(&mut self.out, label, " ", Start::Fragment);
            self.out.push_str("**");
        }
        self.out.push_str(": ");
    }

    /// Trusted markdown, where the body is now.
    pub(crate) fn push_raw(&mut self, markdown: &str) {
        // Template text that breaks the line leaves the list item it was in.
        if markdown.contains(['\n', '\r']) {
            self.indent = 0;
        }
        self.out.push_str(markdown);
    }

    /// Untrusted text where the body is now, escaped for where it lands: what was
    /// written before it on its line decides whether it may start a block.
    pub(crate) fn push_text(&mut self, text: &str) {
        let start = Start::after(&self.out);
        escape_value_indented(&mut self.out, text, start, self.indent);
    }

    /// A whole URL inside a link target, encoded (see [`url::push_url`]).
    pub(crate) fn push_url(&mut self, value: &str) {
        url::push_url(&mut self.out, value);
    }

    /// Untrusted text inside a link title (`[x](url "title")`): escaped as text, and
    /// `"`, `'`, `(` and `)` backslash-escaped too, so it can end neither the title nor
    /// the link.
    pub(crate) fn push_title(&mut self, text: &str) {
        let mut escaped = String::with_capacity(text.len() + 8);
        escape_value_indented(&mut escaped, text, Start::after(&self.out), self.indent);
        // The text escapes write a backslash only before a character they escape.
        let mut after_backslash = false;
        for c in escaped.chars() {
            if matches!(c, '"' | '\'' | '(' | ')') && !after_backslash {
                self.out.push('\\');
            }
            after_backslash = c == '\\' && !after_backslash;
            self.out.push(c);
        }
    }

    /// Part of a URL inside a link target, percent-encoded.
    pub(crate) fn push_url_part(&mut self, value: &str) {
        url::push_url_part(&mut self.out, value);
    }

    /// `![](url)` where the body is now.
    pub(crate) fn push_image(&mut self, url: &str) {
        self.out.push_str(Inline::image(url).as_str());
    }

    /// `@a @b`: the mentions that make DingTalk notify, as a last block.
    pub(crate) fn push_mentions(&mut self, mobiles: &[String], user_ids: &[String]) {
        if mobiles.is_empty() && user_ids.is_empty() {
            return;
        }
        self.open_block();
        crate::message::write_mentions(&mut self.out, mobiles.iter().chain(user_ids));
    }

    /// Formats `value` (into the scratch buffer) and hands the text to `then`.
    pub(crate) fn with_display(&mut self, value: &dyn fmt::Display, then: fn(&mut Writer, &str)) {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        // Writing to a String fails only if `value`'s Display impl fails; what it wrote
        // so far is kept, as `format!` would panic instead.
        let _ = write!(scratch, "{value}");
        then(self, &scratch);
        self.scratch = scratch;
    }

    /// A trusted `Display` value, as it is.
    pub(crate) fn push_raw_display(&mut self, value: &dyn fmt::Display) {
        let _ = write!(self.out, "{value}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_stay_blocks_whatever_the_line_breaks() {
        let md = Writer::new()
            .quote("a\r\rb\u{2028}c")
            .list(["x\r\ry", "z"])
            .heading(4, "a\rb")
            .finish();
        assert_eq!(md, "> a  \n> b  \n> c\n\n- x y\n- z\n\n#### a b");
    }

    #[test]
    fn values_land_escaped_for_where_they_are() {
        let mut w = Writer::new();
        w.push_raw("Status: ");
        w.push_text("ok\r\r");
        w.push_text("# Injected");
        w.push_raw("\n");
        w.push_text("1");
        w.push_text(". one");
        assert_eq!(w.finish(), "Status: ok# Injected\n1\\. one");
    }
}
