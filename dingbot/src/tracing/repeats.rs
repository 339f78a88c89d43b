//! The values a run of identical events carried, per field, so that the message counting
//! them can list what differed (`order: SO-1, SO-2, … (300 distinct)`) rather than show
//! the last event alone. Data only, bounded: a few values kept in full per field, the
//! rest only counted.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

/// The most values kept (and later listed) per field.
pub(super) const MAX_LISTED: usize = 50;
/// The most bytes of values kept per field; the values past it are only counted.
pub(super) const MAX_LISTED_BYTES: usize = 2_000;
/// The most characters kept of one listed value; a longer one is cut with "…".
pub(super) const MAX_LISTED_CHARS: usize = 120;
/// The most distinct values told apart per field; past it the count says "more than".
pub(super) const MAX_COUNTED: usize = 1_000;

/// The distinct values of one field over a run of events.
#[derive(Debug)]
pub(super) struct FieldValues {
    pub(super) name: &'static str,
    /// The first distinct values, in the order they came, each cut to
    /// [`MAX_LISTED_CHARS`].
    listed: Vec<String>,
    listed_bytes: usize,
    /// A fingerprint of every distinct value seen, up to [`MAX_COUNTED`].
    seen: HashSet<u64>,
    /// Set once a value came that `seen` had no room for.
    overflowed: bool,
}

impl FieldValues {
    fn new(name: &'static str) -> FieldValues {
        FieldValues {
            name,
            listed: Vec::new(),
            listed_bytes: 0,
            seen: HashSet::new(),
            overflowed: false,
        }
    }

    fn add(&mut self, value: &str) {
        let mut hasher = DefaultHasher::new();
        value.hash(&mut hasher);
        let print = hasher.finish();
        if self.seen.contains(&print) {
            return;
        }
        if self.seen.len() >= MAX_COUNTED {
            // Told apart no more: this may or may not be a new value.
            self.overflowed = true;
            return;
        }
        self.seen.insert(print);
        if self.listed.len() < MAX_LISTED && self.listed_bytes < MAX_LISTED_BYTES {
            let kept = cut(value, MAX_LISTED_CHARS);
            self.listed_bytes += kept.len();
            self.listed.push(kept);
        }
    }

    /// The values kept, in the order they first came.
    pub(super) fn listed(&self) -> &[String] {
        &self.listed
    }

    /// How many distinct values came, and whether there may have been more (past
    /// [`MAX_COUNTED`]).
    pub(super) fn distinct(&self) -> (usize, bool) {
        (self.seen.len(), self.overflowed)
    }
}

/// The values of the events a counted message stands for, per field in the order the
/// fields first came.
#[derive(Debug, Default)]
pub(super) struct Repeats {
    fields: Vec<FieldValues>,
}

impl Repeats {
    /// Adds one event's fields.
    pub(super) fn add(&mut self, fields: &[(&'static str, String)]) {
        for (name, value) in fields {
            let at = match self.fields.iter().position(|f| f.name == *name) {
                Some(at) => at,
                None => {
                    self.fields.push(FieldValues::new(name));
                    self.fields.len() - 1
                }
            };
            self.fields[at].add(value);
        }
    }

    /// The values of the field `name`, if any event had it.
    pub(super) fn field(&self, name: &str) -> Option<&FieldValues> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// `value` cut to `max_chars` characters, with "…" when it was longer.
pub(super) fn cut(value: &str, max_chars: usize) -> String {
    match value.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_values_are_counted_past_the_listed_ones() {
        let mut repeats = Repeats::default();
        for i in 0..300 {
            repeats.add(&[("order", format!("SO-{i}")), ("region", "eu".to_owned())]);
        }
        let order = repeats.field("order").expect("order");
        assert_eq!(order.listed().len(), MAX_LISTED);
        assert_eq!(order.listed()[0], "SO-0");
        assert_eq!(order.distinct(), (300, false));
        let region = repeats.field("region").expect("region");
        assert_eq!(region.listed(), ["eu"]);
        assert_eq!(region.distinct(), (1, false));
    }

    #[test]
    fn memory_is_bounded_per_field() {
        let mut repeats = Repeats::default();
        for i in 0..(MAX_COUNTED + 500) {
            repeats.add(&[("blob", format!("{i}{}", "x".repeat(1_000)))]);
        }
        let blob = repeats.field("blob").expect("blob");
        assert!(blob.listed().len() < MAX_LISTED, "{}", blob.listed().len());
        let bytes: usize = blob.listed().iter().map(String::len).sum();
        assert!(bytes < MAX_LISTED_BYTES + MAX_LISTED_CHARS * 4, "{bytes}");
        assert_eq!(blob.distinct(), (MAX_COUNTED, true));
    }
}
