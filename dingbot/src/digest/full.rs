//! [`Detail::Full`](super::Detail::Full): every event of a summary in full, under a
//! numbered heading.

use super::event::{Event, TEXT_BUDGET, json_len};
use super::title::event_title;
use crate::markdown::{Inline, Writer};
use crate::message::Message;

/// Each event's section, numbered from 1 in the round.
pub(super) fn sections(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .enumerate()
        .map(|(i, e)| section(i + 1, &e.msg))
        .collect()
}

/// What grouping events into messages counts for each: its section's JSON size.
pub(super) fn costs(sections: &[String]) -> Vec<usize> {
    sections.iter().map(|text| json_len(text) + 4).collect()
}

/// One event inside a summary: a numbered heading and its body.
fn section(n: usize, event: &Message) -> String {
    let title = event_title(event);
    let mut md = Writer::new().heading(5, Inline::raw(format!("{n}. ")) + title.as_str());
    md = match event {
        Message::Text(t) => md.paragraph(t.content()),
        Message::Markdown(m) => md.raw(&strip_leading_heading(m.text(), m.title())),
        Message::Link(l) => {
            md.paragraph(Inline::text(l.text()) + " " + Inline::link("Open", l.message_url()))
        }
        Message::ActionCard(c) => {
            let mut links = Inline::default();
            let buttons: Vec<_> = c
                .get_single_button()
                .into_iter()
                .chain(c.buttons())
                .collect();
            for (i, b) in buttons.iter().enumerate() {
                if i > 0 {
                    links += " · ";
                }
                links += Inline::link(b.title(), b.action_url());
            }
            md.raw(&strip_leading_heading(c.text(), c.title()))
                .paragraph(links)
        }
        Message::FeedCard(f) => md.list(
            f.links()
                .iter()
                .map(|l| Inline::link(l.title(), l.message_url())),
        ),
    };
    let text = md.finish();
    // One event never takes more than a whole summary.
    if json_len(&text) > TEXT_BUDGET / 2 {
        let mut cut = TEXT_BUDGET / 4;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        return format!(
            "{}\n\n*(truncated: {} bytes more)*",
            &text[..cut],
            text.len() - cut
        );
    }
    text
}

/// A markdown body without its first line when that line is a heading repeating the
/// title (the summary gives every event its own heading).
fn strip_leading_heading(text: &str, title: &str) -> String {
    let trimmed = text.trim_start();
    if let Some(first) = trimmed.lines().next() {
        let heading = first.trim_start_matches('#');
        if first.starts_with('#') && heading.trim() == title.trim() {
            return trimmed[first.len()..].trim_start().to_owned();
        }
    }
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_heading_is_not_shown_twice() {
        assert_eq!(
            strip_leading_heading("#### Order failed\n\n**id**: 1", "Order failed"),
            "**id**: 1"
        );
        assert_eq!(
            strip_leading_heading("#### Other\n\nx", "Order failed"),
            "#### Other\n\nx"
        );
    }
}
