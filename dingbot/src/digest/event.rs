//! An event as a digest holds it, and a message of a delivery round: what the handle,
//! the delivery task and the summaries share.

use std::ops::Range;

use super::title::{event_kind, event_title, truncate};
use crate::dingtalk::MAX_BODY_BYTES;
use crate::error::Error;
use crate::keywords::Keywords;
use crate::message::{DingMessage, Message};
use crate::payload::Payload;

/// Room for a summary's markdown text, leaving space for the title, the mentions, the
/// `msgUuid` and the JSON around them.
pub(super) const TEXT_BUDGET: usize = MAX_BODY_BYTES - 1_500;

/// The most characters of an event's summary a summary line shows.
const MAX_LINE_CHARS: usize = 160;

/// An event as it was pushed: its message, for summaries, and the payload it goes out
/// as when it is sent alone — encoded once, checked, its `msgUuid` fixed from the push
/// on.
pub(super) struct Event {
    pub(super) msg: Message,
    payload: Payload,
    /// Its number, in the order the digest accepted events.
    pub(super) number: u64,
    /// What it is grouped and counted by: its title without ids or keywords.
    pub(super) kind: String,
    /// Its [`DingMessage::summary`], one line of plain text.
    pub(super) summary: String,
    /// When it was pushed, in milliseconds since the Unix epoch (the robot's clock).
    pub(super) at_ms: i64,
}

impl Event {
    /// Checks and encodes an event as it would be sent, with the robot's `keywords`
    /// rule applied and `msg_uuid` (else a fresh one), pushed at `at_ms`. Its number is
    /// set when accepted.
    pub(super) fn new<M: DingMessage + ?Sized>(
        event: &M,
        keywords: &Keywords,
        msg_uuid: Option<String>,
        at_ms: i64,
    ) -> Result<Event, Error> {
        let original = event.to_message();
        let title = event_title(&original);
        let kind = event_kind(&title, keywords.words());
        let summary = event
            .summary()
            .map(|s| one_line(&s))
            .filter(|s| !s.is_empty())
            .unwrap_or(title);
        let msg = keywords.apply(original)?;
        let payload = match msg_uuid {
            Some(uuid) => Payload::with_msg_uuid(&msg, uuid)?,
            None => Payload::new(&msg)?,
        };
        Ok(Event {
            msg,
            payload,
            number: 0,
            kind,
            summary,
            at_ms,
        })
    }
}

/// `text` on one line, its whitespace runs (line breaks included) one space, cut to
/// [`MAX_LINE_CHARS`]: a summary that broke its promise of one line stays one line.
fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate(&joined, MAX_LINE_CHARS)
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
    /// Events it only counts, without their lines.
    pub(super) counted: u64,
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
            counted: 0,
            numbers: event.number..event.number + 1,
        }
    }

    /// The payload of an event sent alone (for tests).
    #[cfg(test)]
    pub(super) fn payload_of(event: &Event) -> &Payload {
        &event.payload
    }
}

/// Bytes a string takes inside a JSON string literal.
pub(super) fn json_len(s: &str) -> usize {
    s.bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Markdown, Text};

    #[test]
    fn an_event_keeps_its_kind_and_one_line() {
        let keywords = Keywords::new(["告警"], true).unwrap();
        let event = Event::new(&Markdown::new("Order 7 failed", "x"), &keywords, None, 0).unwrap();
        assert_eq!(event.kind, "Order failed");
        assert_eq!(event.summary, "Order 7 failed");
        assert_eq!(event.msg.title(), Some("告警 Order 7 failed"));
        let text = Event::new(&Text::new("disk\tfull  \n"), &keywords, None, 0).unwrap();
        assert_eq!(text.summary, "disk full");
    }
}
