//! The items of `list` fields: each one an item (`&T` where `T: DingItem`) or a map's
//! entry (`(&K, &V)`), written escaped ([`ListItem`]), through the field's `with`
//! function ([`ListItemWith`]) or as it is ([`ListItemRaw`]).

use std::fmt::Display;

use super::value::{Fmt, With};
use crate::markdown::item::{DingItem, Unsized};
use crate::markdown::{ItemWriter, Writer};

/// One element of a `list` field: an item (`&T` where `T: DingItem`), or a map's entry
/// (`(&K, &V)`), shown `**key**: value`.
pub trait ListItem {
    /// Writes the item after its `- `.
    fn write_list_item(self, out: &mut ItemWriter<'_>);
}

impl<T: DingItem + ?Sized> ListItem for &T {
    fn write_list_item(self, out: &mut ItemWriter<'_>) {
        self.write_item(out);
    }
}

impl<K: Display + ?Sized, V: DingItem + ?Sized> ListItem for (&K, &V) {
    fn write_list_item(self, out: &mut ItemWriter<'_>) {
        out.writer()
            .with_display(&Unsized(self.0), Writer::push_label);
        self.1.write_item(out);
    }
}

/// [`ListItem`] for a `list` field with `with`: the function formats an item, or a
/// map's value.
pub trait ListItemWith<T: ?Sized> {
    /// Writes the item after its `- `.
    fn write_with(self, with: Fmt<T>, out: &mut ItemWriter<'_>);
}

impl<T: ?Sized> ListItemWith<T> for &T {
    fn write_with(self, with: Fmt<T>, out: &mut ItemWriter<'_>) {
        out.display(&With(self, with));
    }
}

impl<K: Display + ?Sized, V: ?Sized> ListItemWith<V> for (&K, &V) {
    fn write_with(self, with: Fmt<V>, out: &mut ItemWriter<'_>) {
        out.writer()
            .with_display(&Unsized(self.0), Writer::push_label);
        out.display(&With(self.1, with));
    }
}

/// [`ListItem`] for a `raw` `list` field: `Display` items or values, as they are.
pub trait ListItemRaw {
    /// Writes the item after its `- `.
    fn write_raw(self, out: &mut ItemWriter<'_>);
}

impl<T: Display + ?Sized> ListItemRaw for &T {
    fn write_raw(self, out: &mut ItemWriter<'_>) {
        out.writer().push_raw_display(&Unsized(self));
    }
}

impl<K: Display + ?Sized, V: Display + ?Sized> ListItemRaw for (&K, &V) {
    fn write_raw(self, out: &mut ItemWriter<'_>) {
        out.writer()
            .with_display(&Unsized(self.0), Writer::push_label);
        out.writer().push_raw_display(&Unsized(self.1));
    }
}

/// Whether a `list` field has no items.
pub fn is_empty<'a, T: ?Sized>(list: &'a T) -> bool
where
    &'a T: IntoIterator,
{
    list.into_iter().next().is_none()
}
