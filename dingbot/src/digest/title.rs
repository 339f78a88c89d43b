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

pub(super) fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

/// The kind of an event, for grouping and counting in a summary: its title without the
/// words that hold digits (ids, counts, versions) and without the robot's `keywords`,
/// so "Order 1842 failed" and "告警 Order 77 failed" are both "Order failed".
pub(super) fn event_kind(title: &str, keywords: &[String]) -> String {
    let kind: Vec<&str> = title
        .split_whitespace()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .filter(|w| !keywords.iter().any(|k| k == w))
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

/// The kinds of a round's events with their counts, the most frequent first (ties in
/// the order they first came).
pub(super) fn count_kinds<'a>(kinds: impl Iterator<Item = &'a str>) -> Vec<(&'a str, usize)> {
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for kind in kinds {
        match groups.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => groups.push((kind, 1)),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1));
    groups
}

/// "告警 12 events: 9 × Order failed, 3 × Deploy" for a round (`groups` from
/// [`count_kinds`]), after the robot's `keyword` when it has one; " (2/3)" for a part
/// of a split summary, every part giving the round's total.
pub(super) fn summary_title(
    keyword: Option<&str>,
    groups: &[(&str, usize)],
    max_groups: usize,
    part: Part,
) -> String {
    let count: usize = groups.iter().map(|g| g.1).sum();
    let mut title = String::new();
    if let Some(keyword) = keyword {
        title.push_str(keyword);
        title.push(' ');
    }
    title.push_str(&format!(
        "{count} event{}: ",
        if count == 1 { "" } else { "s" }
    ));
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

    fn title_of(titles: &[String], keyword: Option<&str>, max: usize, part: Part) -> String {
        let kinds: Vec<String> = titles.iter().map(|t| event_kind(t, &[])).collect();
        let groups = count_kinds(kinds.iter().map(String::as_str));
        summary_title(keyword, &groups, max, part)
    }

    #[test]
    fn title_counts_kinds() {
        let mut titles: Vec<String> = (0..9).map(|_| "Order failed".to_owned()).collect();
        titles.extend((0..3).map(|_| "Deploy".to_owned()));
        assert_eq!(
            title_of(&titles, None, 3, WHOLE),
            "12 events: 9 × Order failed, 3 × Deploy"
        );
        assert_eq!(
            title_of(&titles, Some("告警"), 1, Part { number: 2, of: 3 }),
            "告警 12 events: 9 × Order failed, … (2/3)"
        );
    }

    #[test]
    fn kinds_ignore_ids_and_keywords() {
        assert_eq!(event_kind("Order 1842 failed", &[]), "Order failed");
        assert_eq!(event_kind("Disk full #5", &[]), "Disk full");
        assert_eq!(event_kind("Deploy api v2.4", &[]), "Deploy api");
        assert_eq!(event_kind("42", &[]), "42");
        assert_eq!(
            event_kind("告警 Order 7 failed", &["告警".to_owned()]),
            "Order failed"
        );
        let titles: Vec<String> = (0..5).map(|i| format!("Order {i} failed")).collect();
        assert_eq!(
            title_of(&titles, None, 3, WHOLE),
            "5 events: 5 × Order failed"
        );
    }

    #[test]
    fn a_text_is_named_by_its_first_line() {
        let event = Message::from(Text::new(format!("\n  {}\nsecond", "é".repeat(70))));
        assert_eq!(event_title(&event), format!("{}…", "é".repeat(60)));
        let markdown = Message::from(Markdown::new("Deploy", "x"));
        assert_eq!(event_title(&markdown), "Deploy");
    }
}
