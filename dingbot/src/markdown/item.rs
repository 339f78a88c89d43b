//! Markdown lists of values: [`DingItem`], how one value renders as a list item, and
//! [`ItemWriter`], what it renders into.

use std::fmt::{self, Display};

use super::Writer;

/// How a value renders as one item of a markdown list (`- item`).
///
/// Every `Display` type is an item already: its text, escaped. Derive it
/// (`#[derive(DingItem)]`, with `#[ding(item = "...")]`) for a struct of your own, or
/// implement it by hand; either can then be the items of a `#[ding(list)]` field, or of
/// [`Writer::items`].
///
/// ```
/// use dingbot::DingItem;
/// use dingbot::markdown::{ItemWriter, Writer};
///
/// struct Host { name: String, up: bool }
///
/// impl DingItem for Host {
///     fn write_item(&self, item: &mut ItemWriter<'_>) {
///         item.text(&self.name);
///         item.raw(if self.up { " ✅" } else { " **down**" });
///     }
/// }
///
/// let hosts = [Host { name: "db_1".into(), up: true }, Host { name: "web-7".into(), up: false }];
/// let md = Writer::new().items(&hosts).items(&["plain *text*"]).finish();
/// assert_eq!(md, "- db\\_1 ✅\n- web-7 **down**\n\n- plain \\*text\\*");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a list item",
    label = "not `Display`, and no `DingItem` impl",
    note = "derive it with #[derive(dingbot::DingItem)] (and #[ding(item = \"...\")]), implement `std::fmt::Display` for it, or format it with #[ding(list, with = path::to::fmt_fn)]"
)]
pub trait DingItem {
    /// Writes the item's text: what follows its `- `.
    fn write_item(&self, item: &mut ItemWriter<'_>);
}

#[diagnostic::do_not_recommend]
impl<T: Display + ?Sized> DingItem for T {
    fn write_item(&self, item: &mut ItemWriter<'_>) {
        item.display(&Unsized(self));
    }
}

/// A `Display` value that may be unsized (`str`), as a sized one.
pub(crate) struct Unsized<'a, T: ?Sized>(pub(crate) &'a T);

impl<T: Display + ?Sized> Display for Unsized<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One item of a markdown list, being written: the text after its `- `, and lists
/// nested under it.
///
/// Text given to it is escaped for where it lands, as by [`Writer`]; [`ItemWriter::raw`]
/// is the one way to put trusted markdown in.
pub struct ItemWriter<'a> {
    pub(crate) w: &'a mut Writer,
    /// The column the item's text starts at, where lists nested under it begin.
    pub(crate) indent: usize,
}

impl ItemWriter<'_> {
    /// Untrusted text, escaped.
    pub fn text(&mut self, text: &str) {
        self.w.push_text(text);
    }

    /// A `Display` value, formatted and escaped.
    pub fn display(&mut self, value: &dyn Display) {
        self.w.with_display(value, Writer::push_text);
    }

    /// Trusted markdown, as it is.
    pub fn raw(&mut self, markdown: &str) {
        self.w.out.push_str(markdown);
    }

    /// `**label**: value`, label and value escaped.
    pub fn field(&mut self, label: &str, value: &dyn Display) {
        self.w.push_label(label);
        self.display(value);
    }

    /// A list nested under this item, one item per element.
    pub fn items<'i, T, I>(&mut self, items: I)
    where
        T: DingItem + ?Sized + 'i,
        I: IntoIterator<Item = &'i T>,
    {
        let indent = self.indent;
        for item in items {
            let mut nested = self.w.open_item(indent);
            item.write_item(&mut nested);
        }
    }

    /// A list of `**key**: value` lines nested under this item, one per entry of a
    /// map, in its order.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use dingbot::DingItem;
    /// use dingbot::markdown::{ItemWriter, Writer};
    ///
    /// struct Alert { name: &'static str, labels: BTreeMap<&'static str, &'static str> }
    ///
    /// impl DingItem for Alert {
    ///     fn write_item(&self, item: &mut ItemWriter<'_>) {
    ///         item.text(self.name);
    ///         item.entries(&self.labels);
    ///     }
    /// }
    ///
    /// let alert = Alert { name: "DiskFull", labels: BTreeMap::from([("host", "db_1")]) };
    /// assert_eq!(Writer::new().items(&[alert]).finish(), "- DiskFull\n  - **host**: db\\_1");
    /// ```
    pub fn entries<'i, K, V, I>(&mut self, entries: I)
    where
        K: Display + ?Sized + 'i,
        V: DingItem + ?Sized + 'i,
        I: IntoIterator<Item = (&'i K, &'i V)>,
    {
        let indent = self.indent;
        for (key, value) in entries {
            let mut nested = self.w.open_item(indent);
            nested.w.with_display(&Unsized(key), Writer::push_label);
            value.write_item(&mut nested);
        }
    }

    /// The writer underneath, for generated code.
    pub(crate) fn writer(&mut self) -> &mut Writer {
        self.w
    }
}

impl fmt::Debug for ItemWriter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemWriter")
            .field("indent", &self.indent)
            .finish_non_exhaustive()
    }
}

impl Writer {
    /// Starts one `- ` item of a list whose markers are at column `indent`: on the next
    /// line, unless this is the body's first line.
    pub(crate) fn open_item(&mut self, indent: usize) -> ItemWriter<'_> {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        for _ in 0..indent {
            self.out.push(' ');
        }
        self.out.push_str("- ");
        self.indent = indent + 2;
        ItemWriter {
            w: self,
            indent: indent + 2,
        }
    }

    /// A `-` list of [`DingItem`]s, as its own block (nothing for no items).
    ///
    /// ```
    /// use dingbot::markdown::Writer;
    ///
    /// let md = Writer::new().paragraph("Failed:").items(&["api::orders", "web_login"]).finish();
    /// assert_eq!(md, "Failed:\n\n- api::orders\n- web\\_login");
    /// ```
    #[must_use]
    pub fn items<'i, T, I>(mut self, items: I) -> Writer
    where
        T: DingItem + ?Sized + 'i,
        I: IntoIterator<Item = &'i T>,
    {
        let mut items = items.into_iter().peekable();
        if items.peek().is_some() {
            self.open_block();
            for item in items {
                let mut out = self.open_item(0);
                item.write_item(&mut out);
            }
        }
        self
    }

    /// A `-` list of `**key**: value` lines, one per entry of a map, in its order (as
    /// its own block; nothing for an empty map).
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use dingbot::markdown::Writer;
    ///
    /// let labels = BTreeMap::from([("alertname", "DiskFull"), ("instance", "db_1:9100")]);
    /// let md = Writer::new().entries(&labels).finish();
    /// assert_eq!(md, "- **alertname**: DiskFull\n- **instance**: db\\_1:9100");
    /// ```
    #[must_use]
    pub fn entries<'i, K, V, I>(mut self, entries: I) -> Writer
    where
        K: Display + ?Sized + 'i,
        V: DingItem + ?Sized + 'i,
        I: IntoIterator<Item = (&'i K, &'i V)>,
    {
        let mut entries = entries.into_iter().peekable();
        if entries.peek().is_some() {
            self.open_block();
            for (key, value) in entries {
                let mut out = self.open_item(0);
                out.w.with_display(&Unsized(key), Writer::push_label);
                value.write_item(&mut out);
            }
        }
        self
    }
}
