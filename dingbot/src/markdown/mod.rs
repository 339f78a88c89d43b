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

mod escape;
pub(crate) mod item;
pub mod subset;
pub(crate) mod url;
mod writer;

use std::fmt;
use std::ops::{Add, AddAssign};

use escape::{Start, escape_lines};
pub use escape::{escape, escape_into, unescape};
pub use item::ItemWriter;
pub(crate) use url::is_linkable;
pub use url::{dingtalk_link, open_in_browser, open_in_side_panel};
pub use writer::Writer;

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
    ///
    /// Only `http(s)://` and `dingtalk://` URLs are linked: for any other (a
    /// `javascript:` URL, a relative path) the text is shown without a link.
    ///
    /// ```
    /// use dingbot::markdown::Inline;
    ///
    /// assert_eq!(Inline::link("Open", "https://a.example/x y").as_str(), "[Open](https://a.example/x%20y)");
    /// assert_eq!(Inline::link("Open", "javascript:alert(1)").as_str(), "Open");
    /// ```
    pub fn link(text: impl Into<Inline>, url: &str) -> Inline {
        let text = text.into();
        match url::link_target(url) {
            Some(url) => Inline(format!("[{}]({url})", text.0)),
            None => text,
        }
    }

    /// `![](url)`: an image; DingTalk shows only public http(s) images, so any other URL
    /// gives nothing.
    pub fn image(url: &str) -> Inline {
        match url::link_target(url) {
            Some(url) if !url.starts_with("dingtalk:") => Inline(format!("![]({url})")),
            _ => Inline::default(),
        }
    }

    /// `@mobile` or `@userId`: a mention (it notifies only if the message also lists the
    /// id in its `at`).
    ///
    /// An id must be a mobile number or user id (letters, digits, `+-_.`, at most 64
    /// bytes); anything else is written as escaped text that mentions nobody.
    ///
    /// ```
    /// use dingbot::markdown::Inline;
    ///
    /// assert_eq!(Inline::mention(" 13800000000 ").as_str(), "@13800000000");
    /// assert_eq!(Inline::mention("138\n# Heading").as_str(), "@\u{200B}138  \n\\# Heading");
    /// ```
    pub fn mention(id: &str) -> Inline {
        let id = id.trim();
        if crate::message::is_mention_id(id) {
            Inline(format!("@{id}"))
        } else {
            Inline::text(&format!("@{id}"))
        }
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
