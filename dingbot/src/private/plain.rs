//! [`Plain`]: a text message's body, or a title template's text; nothing escaped.

use std::fmt::{Display, Write as _};

use crate::message::write_mentions;

/// A plain text body: lines apart by `\n`, nothing escaped.
pub struct Plain {
    out: String,
}

impl Plain {
    /// An empty body with room for `capacity` bytes.
    pub fn new(capacity: usize) -> Plain {
        Plain {
            out: String::with_capacity(capacity),
        }
    }

    fn line(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    /// The title, as the first line.
    pub fn title(&mut self, title: &str) {
        self.line();
        self.out.push_str(title);
    }

    /// `Label: value` on its own line (`prefix` is `Label: `).
    pub fn field(&mut self, prefix: &str, value: &dyn Display) {
        self.line();
        self.out.push_str(prefix);
        let _ = write!(self.out, "{value}");
    }

    /// [`Plain::field`] for a value that is already a string.
    pub fn field_str(&mut self, prefix: &str, value: &str) {
        self.line();
        self.out.push_str(prefix);
        self.out.push_str(value);
    }

    /// A last line `@a @b ...`, so the mentioned people are notified.
    pub fn mentions(&mut self, mobiles: &[String], user_ids: &[String]) {
        if mobiles.is_empty() && user_ids.is_empty() {
            return;
        }
        self.line();
        write_mentions(&mut self.out, mobiles.iter().chain(user_ids));
    }

    /// Template text.
    pub fn push(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// A template value.
    pub fn text(&mut self, value: &dyn Display) {
        let _ = write!(self.out, "{value}");
    }

    /// The text.
    pub fn finish(self) -> String {
        self.out
    }
}
