//! Names for events and for the summaries that merge them.

use crate::Message;

/// A name for an event: its title, or the first line of a text message.
pub(super) fn event_title(event: &Message) -> String {
    let raw = match event.title() {
        Some(t) => t,
        None => event
            .body()
            .unwrap_or("")
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("Message"),
    };
    truncate(raw.trim(), 60)
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

/// The kind of an event, for counting in a summary's title: its title without the
/// words that hold digits (ids, counts, versions), so "Order 1842 failed" and "Order 77
/// failed" are both "Order failed".
fn event_kind(title: &str) -> String {
    let kind: Vec<&str> = title
        .split_whitespace()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .collect();
    if kind.is_empty() {
        title.to_owned()
    } else {
        kind.join(" ")
    }
}

/// Which part of a split summary a message is: (this part, of how many).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Part {
    pub(super) number: usize,
    pub(super) of: usize,
}

/// "12 events: 9 × Order failed, 3 × Deploy" (and " (2/3)" for a split summary).
pub(super) fn summary_title<'a>(
    events: impl ExactSizeIterator<Item = &'a Message>,
    max_groups: usize,
    part: Part,
) -> String {
    let count = events.len();
    let mut groups: Vec<(String, usize)> = Vec::new();
    for event in events {
        let kind = event_kind(&event_title(event));
        match groups.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => groups.push((kind, 1)),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1));
    let mut title = format!("{count} event{}: ", if count == 1 { "" } else { "s" });
    for (i, (name, n)) in groups.iter().take(max_groups).enumerate() {
        if i > 0 {
            title.push_str(", ");
        }
        title.push_str(&format!("{n} × {name}"));
    }
    if groups.len() > max_groups {
        title.push_str(", …");
    }
    if part.of > 1 {
        title.push_str(&format!(" ({}/{})", part.number, part.of));
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Markdown, Text};

    const WHOLE: Part = Part { number: 1, of: 1 };

    #[test]
    fn title_counts_kinds() {
        let mut events: Vec<Message> = (0..9)
            .map(|_| Markdown::new("Order failed", "x").into())
            .collect();
        events.extend((0..3).map(|_| Message::from(Markdown::new("Deploy", "y"))));
        assert_eq!(
            summary_title(events.iter(), 3, WHOLE),
            "12 events: 9 × Order failed, 3 × Deploy"
        );
        assert_eq!(
            summary_title(events.iter(), 1, Part { number: 2, of: 3 }),
            "12 events: 9 × Order failed, … (2/3)"
        );
    }

    #[test]
    fn kinds_ignore_ids() {
        assert_eq!(event_kind("Order 1842 failed"), "Order failed");
        assert_eq!(event_kind("Disk full #5"), "Disk full");
        assert_eq!(event_kind("Deploy api v2.4"), "Deploy api");
        assert_eq!(event_kind("42"), "42");
        let events: Vec<Message> = (0..5)
            .map(|i| Message::from(Markdown::new(format!("Order {i} failed"), "x")))
            .collect();
        assert_eq!(
            summary_title(events.iter(), 3, WHOLE),
            "5 events: 5 × Order failed"
        );
    }

    #[test]
    fn a_text_is_named_by_its_first_line() {
        let event = Message::from(Text::new(format!("\n  {}\nsecond", "é".repeat(70))));
        assert_eq!(event_title(&event), format!("{}…", "é".repeat(60)));
        assert_eq!(
            summary_title([&event].into_iter(), 3, WHOLE),
            format!("1 event: 1 × {}…", "é".repeat(60))
        );
    }
}
