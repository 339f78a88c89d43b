//! Where generated code writes markdown: a message's [`Body`], and the text of one list
//! item being written by a derived `DingItem` ([`ItemBody`]). Template values reach
//! either through `Sink` (in `sink`).

use std::fmt::Display;

use crate::markdown::{ItemWriter, Writer};

/// A markdown body, written block by block (blocks apart by a blank line) by a
/// [`Writer`]. Every value is escaped for where it lands, as the writer decides from
/// what was written before it.
pub struct Body(pub(super) Writer);

impl Body {
    /// An empty body with room for `capacity` bytes.
    pub fn new(capacity: usize) -> Body {
        Body(Writer::with_capacity(capacity))
    }

    /// `#### title`, escaped, on one line.
    pub fn heading(&mut self, title: &str) {
        self.0.push_heading(title);
    }

    /// `**label**: value`, label and value escaped.
    pub fn field(&mut self, label: &str, value: &dyn Display) {
        self.0.open_field(label);
        self.0.with_display(value, Writer::push_text);
    }

    /// [`Body::field`] for a value that is already a string.
    pub fn field_str(&mut self, label: &str, value: &str) {
        self.0.open_field(label);
        self.0.push_text(value);
    }

    /// `**label**: value`, the value as it is: trusted markdown.
    pub fn field_raw(&mut self, label: &str, value: &dyn Display) {
        self.0.open_field(label);
        self.0.push_raw_display(value);
    }

    /// `**label**:` and, below it, a list; nothing when `empty`.
    pub fn list_field(&mut self, label: &str, empty: bool) {
        if !empty {
            self.0.open_field(label);
            // `open_field` ends with `: `; the list starts a block of its own.
            self.0.out.truncate(self.0.out.len() - 1);
            self.0.open_block();
        }
    }

    /// `![](url)` as its own block.
    pub fn image(&mut self, url: &dyn Display) {
        self.0.open_block();
        self.0.with_display(url, Writer::push_image);
    }

    /// A last paragraph `@a @b ...`, so the mentioned people are notified.
    pub fn mentions(&mut self, mobiles: &[String], user_ids: &[String]) {
        self.0.push_mentions(mobiles, user_ids);
    }

    /// The markdown.
    pub fn finish(self) -> String {
        self.0.finish()
    }
}

/// The text of one list item being written by a derived `DingItem`.
pub struct ItemBody<'a, 'b>(pub &'a mut ItemWriter<'b>);

impl ItemBody<'_, '_> {
    /// `**label**: value` of the default item rendering, after `separator` unless it is
    /// the first pair.
    pub fn pair(&mut self, first: &mut bool, label: &str, value: &dyn Display) {
        self.separate(first);
        self.0.field(label, value);
    }

    /// [`ItemBody::pair`] with a raw value.
    pub fn pair_raw(&mut self, first: &mut bool, label: &str, value: &dyn Display) {
        self.separate(first);
        self.0.writer().push_label(label);
        self.0.writer().push_raw_display(value);
    }

    fn separate(&mut self, first: &mut bool) {
        if !std::mem::take(first) {
            self.0.raw(", ");
        }
    }
}
