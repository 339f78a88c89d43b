//! Summaries: a burst of events rendered as markdown messages, each within DingTalk's
//! size limit. Nothing here sends or waits.

use std::ops::Range;

use super::config::DigestConfig;
use super::title::{Part, event_title, summary_title};
use crate::dingtalk::MAX_BODY_BYTES;
use crate::error::Error;
use crate::keywords::Keywords;
use crate::markdown::{Inline, Writer};
use crate::message::{At, DingMessage, Markdown, Message};
use crate::payload::Payload;

/// An event as it was pushed: its message, for summaries, and the payload it goes out
/// as when it is sent alone — encoded once, checked, its `msgUuid` fixed from the push
/// on.
pub(super) struct Event {
    msg: Message,
    payload: Payload,
    /// Its number, in the order the digest accepted events.
    pub(super) number: u64,
}

impl Event {
    /// Checks and encodes an event as it would be sent, with the robot's `keywords`
    /// rule applied and `msg_uuid` (else a fresh one). Its number is set when accepted.
    pub(super) fn new<M: DingMessage + ?Sized>(
        event: &M,
        keywords: &Keywords,
        msg_uuid: Option<String>,
    ) -> Result<Event, Error> {
        let msg = keywords.apply(event.to_message())?;
        let payload = match msg_uuid {
            Some(uuid) => Payload::with_msg_uuid(&msg, uuid)?,
            None => Payload::new(&msg)?,
        };
        Ok(Event {
            msg,
            payload,
            number: 0,
        })
    }
}

/// One message of a delivery round. Until it is delivered or refused for good it is
/// sent again as it is: the same bytes, the same `msgUuid`.
pub(super) struct Chunk {
    pub(super) payload: Payload,
    /// How many events it carries.
    pub(super) events: u64,
    /// Whether it is a summary (else one event sent as it is).
    pub(super) summary: bool,
    /// Dropped events it reports.
    pub(super) drops: u64,
    /// The numbers of the events it carries.
    pub(super) numbers: Range<u64>,
}

impl Chunk {
    /// An event sent as it is, with the payload made when it was pushed.
    pub(super) fn alone(event: &Event) -> Chunk {
        Chunk {
            payload: event.payload.clone(),
            events: 1,
            summary: false,
            drops: 0,
            numbers: event.number..event.number + 1,
        }
    }
}

/// Room for a summary's markdown text, leaving space for the title, the mentions, the
/// `msgUuid` and the JSON around them.
const TEXT_BUDGET: usize = MAX_BODY_BYTES - 1_500;

/// What one message of a burst will be.
#[derive(Clone)]
enum Planned {
    Summary(Range<usize>),
    /// An event that does not fit even alone in a summary (it was checked to fit as
    /// itself when pushed), sent as it is.
    Alone(usize),
}

/// The messages for a burst, in order: summaries of consecutive events (`drops`
/// reported in the first), split to fit DingTalk's limit. Each summary is encoded once,
/// unless the size estimate it was grouped by was short and it had to be split.
/// Each summary carries one of `keywords` (the robot's), when it has any.
pub(super) fn summarize(
    events: &[Event],
    drops: u64,
    config: &DigestConfig,
    keywords: &Keywords,
) -> Vec<Chunk> {
    let sections: Vec<String> = events
        .iter()
        .enumerate()
        .map(|(i, e)| section(i + 1, &e.msg))
        .collect();
    let mut plan: Vec<Planned> = group(events, &sections)
        .into_iter()
        .map(Planned::Summary)
        .collect();
    'numbering: loop {
        let of = plan
            .iter()
            .filter(|p| matches!(p, Planned::Summary(_)))
            .count();
        let mut chunks = Vec::with_capacity(plan.len());
        let mut number = 0;
        for (i, planned) in plan.iter().enumerate() {
            let range = match planned {
                Planned::Alone(e) => {
                    chunks.push(Chunk::alone(&events[*e]));
                    continue;
                }
                Planned::Summary(range) => range.clone(),
            };
            number += 1;
            let drops = if number == 1 { drops } else { 0 };
            let summary = render(
                events,
                &sections,
                range.clone(),
                drops,
                config,
                Part { number, of },
            );
            match Payload::new(&keywords.ensure(Message::Markdown(summary))) {
                Ok(payload) => chunks.push(Chunk {
                    payload,
                    events: range.len() as u64,
                    summary: true,
                    drops,
                    numbers: numbers(&events[range.clone()]),
                }),
                // Too large after all: split it, number the parts again, encode again.
                Err(_) => {
                    let split = if range.len() == 1 {
                        vec![Planned::Alone(range.start)]
                    } else {
                        let mid = range.start + range.len() / 2;
                        vec![
                            Planned::Summary(range.start..mid),
                            Planned::Summary(mid..range.end),
                        ]
                    };
                    plan.splice(i..=i, split);
                    continue 'numbering;
                }
            }
        }
        return chunks;
    }
}

/// The numbers of consecutive `events` (empty when there are none: a summary that
/// only reports drops).
fn numbers(events: &[Event]) -> Range<u64> {
    match (events.first(), events.last()) {
        (Some(first), Some(last)) => first.number..last.number + 1,
        _ => 0..0,
    }
}

/// Consecutive events grouped greedily on an estimate of their size: each section's
/// JSON size, plus each mention twice (in `atMobiles`/`atUserIds` and as `@id` in the
/// body).
fn group(events: &[Event], sections: &[String]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, (text, event)) in sections.iter().zip(events).enumerate() {
        let mentions: usize = event.msg.at().map_or(0, |at| {
            at.get_mobiles()
                .iter()
                .chain(at.get_user_ids())
                .map(|id| 2 * json_len(id) + 6)
                .sum()
        });
        let cost = json_len(text) + 4 + mentions;
        if i > start && size + cost > TEXT_BUDGET {
            ranges.push(start..i);
            start = i;
            size = 0;
        }
        size += cost;
    }
    ranges.push(start..sections.len());
    ranges
}

/// The summary of `events[range]`.
fn render(
    events: &[Event],
    sections: &[String],
    range: Range<usize>,
    drops: u64,
    config: &DigestConfig,
    part: Part,
) -> Markdown {
    let merged = &events[range.clone()];
    let title = summary_title(merged.iter().map(|e| &e.msg), config.max_title_groups, part);
    let mut md = Writer::new().heading(4, title.as_str());
    if drops > 0 {
        md = md.quote(format!(
            "{drops} more event(s) were dropped: more than {} were waiting for a send slot.",
            config.max_held
        ));
    }
    for s in &sections[range] {
        md = md.raw(s);
    }
    let mut at = At::default();
    for event in merged {
        if let Some(a) = event.msg.at() {
            at.merge(a);
        }
    }
    let mut summary = Markdown::new(title, md.finish());
    summary.at = at;
    summary
}

/// Bytes a string takes inside a JSON string literal.
fn json_len(s: &str) -> usize {
    s.bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum()
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
    use crate::Text;

    fn events(msgs: impl IntoIterator<Item = Message>) -> Vec<Event> {
        msgs.into_iter()
            .map(|m| Event::new(&m, &Keywords::default(), None).unwrap())
            .collect()
    }

    fn json(chunk: &Chunk) -> serde_json::Value {
        serde_json::from_slice(chunk.payload.body()).unwrap()
    }

    #[test]
    fn big_bursts_split_under_the_limit_and_keep_mentions() {
        let burst = events((0..400).map(|i| {
            Text::new(format!("event {i}: {}", "x".repeat(200)))
                .at_mobiles([format!("1380000{i:04}")])
                .into()
        }));
        let chunks = summarize(&burst, 0, &DigestConfig::default(), &Keywords::default());
        assert!(chunks.len() > 1);
        let parts = chunks.len();
        for (i, chunk) in chunks.iter().enumerate() {
            assert!(chunk.summary && chunk.payload.len() <= MAX_BODY_BYTES);
            let json = json(chunk);
            let mentioned = json["at"]["atMobiles"].as_array().unwrap().len();
            assert_eq!(mentioned as u64, chunk.events);
            let title = json["markdown"]["title"].as_str().unwrap();
            assert!(title.ends_with(&format!(" ({}/{parts})", i + 1)), "{title}");
        }
        assert_eq!(chunks.iter().map(|c| c.events).sum::<u64>(), 400);
    }

    #[test]
    fn drops_are_reported_in_the_first_part_only() {
        let burst = events((0..400).map(|i| Text::new(format!("{i} {}", "y".repeat(300))).into()));
        let chunks = summarize(
            &burst,
            7,
            &DigestConfig::default().max_held(400),
            &Keywords::default(),
        );
        assert_eq!(chunks[0].drops, 7);
        assert!(
            json(&chunks[0])["markdown"]["text"]
                .as_str()
                .unwrap()
                .contains("7 more event(s) were dropped: more than 400")
        );
        assert!(chunks[1..].iter().all(|c| c.drops == 0));
    }

    #[test]
    fn a_huge_event_is_truncated_not_lost() {
        let burst = events([Markdown::new("huge", "y".repeat(19_000)).into()]);
        let chunks = summarize(&burst, 0, &DigestConfig::default(), &Keywords::default());
        assert_eq!(chunks.len(), 1);
        let text = json(&chunks[0])["markdown"]["text"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(text.contains("truncated"), "{text}");
    }

    #[test]
    fn an_event_alone_keeps_the_payload_it_was_pushed_with() {
        let event = Event::new(&Text::new("disk full"), &Keywords::default(), None).unwrap();
        let chunk = Chunk::alone(&event);
        assert_eq!(chunk.payload.msg_uuid(), event.payload.msg_uuid());
        assert_eq!(chunk.payload.body(), event.payload.body());
    }

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
