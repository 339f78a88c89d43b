//! [`Sink`]: where template values are written, a message's [`Body`] or a list item's
//! [`ItemBody`], each value escaped or encoded for where it lands.

use std::fmt::{Display, Write as _};

use super::body::{Body, ItemBody};
use super::flatten::Flatten;
use super::list::{ListItem, ListItemRaw, ListItemWith};
use super::value::Fmt;
use crate::markdown::Writer;

/// Where template values are written: a message body or a list item. Every value is
/// escaped for where it lands, unless it is `raw`.
pub trait Sink {
    /// The writer underneath.
    fn writer(&mut self) -> &mut Writer;

    /// The column nested list markers start at.
    fn indent(&self) -> usize;

    /// The sink itself, for a check the generated code defines to write into: `&mut
    /// Body` whether the code holds a `Body` or, writing a `flatten` field's lines, a
    /// `&mut Body`.
    fn sink(&mut self) -> &mut Self {
        self
    }

    /// Template text, written as it is.
    fn push(&mut self, markdown: &str) {
        self.writer().push_raw(markdown);
    }

    /// A template value, escaped for where it lands.
    fn text(&mut self, value: &dyn Display) {
        self.writer().with_display(value, Writer::push_text);
    }

    /// [`Sink::text`] for a value that is already a string.
    fn text_str(&mut self, value: &str) {
        self.writer().push_text(value);
    }

    /// A `raw` template value, as it is.
    fn raw(&mut self, value: &dyn Display) {
        self.writer().push_raw_display(value);
    }

    /// `![](url)` inside a template.
    fn inline_image(&mut self, url: &dyn Display) {
        self.writer().with_display(url, Writer::push_image);
    }

    /// A template value that is a whole link target (`[Open]({url})`): encoded so that
    /// it cannot end the link, and linked only if it is an `http(s)://` URL (a
    /// `dingtalk://` one comes only from template text or a `raw` field).
    fn url(&mut self, value: &dyn Display) {
        self.writer().with_display(value, Writer::push_url);
    }

    /// A whole link target that opens in DingTalk's side panel (`pc_slide` true) or the
    /// browser: wrapped only if it is an `http(s)://` URL, else as [`Sink::url`] (inert).
    fn url_opened(&mut self, value: &dyn Display, pc_slide: bool) {
        let mut text = String::new();
        let _ = write!(text, "{value}");
        match crate::markdown::url::opened(&text, pc_slide) {
            Some(link) => self.writer().push_raw(&link),
            None => self.writer().push_url(&text),
        }
    }

    /// A template value inside a link title (`[x](url "{title}")`): escaped as text,
    /// and its quotes and parentheses backslash-escaped so it cannot end the title or
    /// the link.
    fn title(&mut self, value: &dyn Display) {
        self.writer().with_display(value, Writer::push_title);
    }

    /// A template value inside a link target after other URL text
    /// (`[Order](https://crm.example.com/orders/{id})`): percent-encoded.
    fn url_part(&mut self, value: &dyn Display) {
        self.writer().with_display(value, Writer::push_url_part);
    }

    /// A `list` field's items, one `- ` line each.
    fn list<I>(&mut self, items: I)
    where
        I: IntoIterator,
        I::Item: ListItem,
    {
        let indent = self.indent();
        for item in items {
            item.write_list_item(&mut self.writer().open_item(indent));
        }
    }

    /// A `list` field's items, each formatted by its `with` function (a map's values).
    fn list_with<T: ?Sized, I>(&mut self, items: I, with: Fmt<T>)
    where
        I: IntoIterator,
        I::Item: ListItemWith<T>,
    {
        let indent = self.indent();
        for item in items {
            item.write_with(with, &mut self.writer().open_item(indent));
        }
    }

    /// A `raw` `list` field's items, each as it is.
    fn list_raw<I>(&mut self, items: I)
    where
        I: IntoIterator,
        I::Item: ListItemRaw,
    {
        let indent = self.indent();
        for item in items {
            item.write_raw(&mut self.writer().open_item(indent));
        }
    }

    /// The lines of a `flatten` field, where the body is now.
    fn flatten(&mut self, inner: &dyn Flatten)
    where
        Self: AsBody,
    {
        inner.write_fields(self.as_body());
    }
}

/// A [`Sink`] that is a whole message body, which a `flatten` field writes into.
pub trait AsBody {
    /// The body.
    fn as_body(&mut self) -> &mut Body;
}

impl AsBody for Body {
    fn as_body(&mut self) -> &mut Body {
        self
    }
}

impl Sink for Body {
    fn writer(&mut self) -> &mut Writer {
        &mut self.0
    }

    fn indent(&self) -> usize {
        0
    }
}

impl Sink for ItemBody<'_, '_> {
    fn writer(&mut self) -> &mut Writer {
        self.0.writer()
    }

    fn indent(&self) -> usize {
        self.0.indent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_for_where_they_land() {
        let mut body = Body::new(0);
        body.field("A", &1.5);
        body.field_str("B", "# 1. - x\n# y *z*");
        body.push("\n\nn = ");
        body.text_str("  12) @138");
        body.push("\n\n");
        body.text(&"# h");
        body.push("\n\nStatus: ");
        body.text_str("ok\r\r");
        body.text_str("# Injected");
        let out = body.finish();
        assert_eq!(
            out,
            "**A**: 1.5\n\n**B**: # 1. - x  \n\\# y \\*z\\*\n\nn =   12) @\u{200B}138\n\n\\# h\n\nStatus: ok# Injected"
        );
    }

    #[test]
    fn labels_are_escaped_like_any_text() {
        let mut body = Body::new(0);
        for label in [
            "Customer id",
            "# of items",
            "1. step",
            "P&L *net*",
            "mail@host",
        ] {
            body.field_str(label, "v");
        }
        assert_eq!(
            body.finish(),
            "**Customer id**: v\n\n**\\# of items**: v\n\n**1\\. step**: v\n\n\
             **P\\&L \\*net\\***: v\n\n**mail@\u{200B}host**: v"
        );
    }

    #[test]
    fn urls_in_link_targets_are_encoded() {
        let mut body = Body::new(0);
        body.push("[Open](");
        body.url(&"https://a.example/x y");
        body.push(") [Bad](");
        body.url(&"javascript:alert(1)");
        body.push(") [Order](https://crm.example.com/orders/");
        body.url_part(&"7 & 8_x");
        body.push(")");
        assert_eq!(
            body.finish(),
            "[Open](https://a.example/x%20y) [Bad](javascript%3Aalert%281%29) \
             [Order](https://crm.example.com/orders/7%20%26%208_x)"
        );
    }

    #[test]
    fn opened_links_wrap_only_web_urls() {
        let mut body = Body::new(0);
        body.push("[A](");
        body.url_opened(&"https://a.example/x", true);
        body.push(") [B](");
        body.url_opened(&"javascript:alert(1)", true);
        body.push(") [C](");
        body.url_opened(&"dingtalk://dingtalkclient/action/x", false);
        body.push(") [D](");
        body.url(&"dingtalk://dingtalkclient/action/x");
        body.push(")");
        assert_eq!(
            body.finish(),
            "[A](dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fa%2Eexample%2Fx&pc_slide=true) \
             [B](javascript%3Aalert%281%29) \
             [C](dingtalk%3A%2F%2Fdingtalkclient%2Faction%2Fx) \
             [D](dingtalk%3A%2F%2Fdingtalkclient%2Faction%2Fx)"
        );
    }

    #[test]
    fn values_in_link_titles_cannot_end_them() {
        let mut body = Body::new(0);
        body.push("[x](https://a.example \"");
        body.title(&r#"a" b's (c) 1) \" *d*"#);
        body.push("\")");
        assert_eq!(
            body.finish(),
            r#"[x](https://a.example "a\" b\'s \(c\) 1\) \\\" \*d\*")"#
        );
    }
}
