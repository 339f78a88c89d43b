//! An event (or a run of identical ones) as a markdown message. Pure: nothing here
//! sends or waits.

use super::record::{Record, Settings};
use super::repeats::{FieldValues, Repeats, cut};
use crate::markdown::{Inline, Writer};
use crate::message::Markdown;

/// The most characters kept of one value; a longer one is cut with "…".
const MAX_VALUE_CHARS: usize = 400;
/// The most bytes of escaped values (with their field names) one message carries, which
/// keeps a message well within DingTalk's 20000 bytes whatever the values hold.
const VALUE_BUDGET: usize = 12_000;

/// What a message reports besides the event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Counts {
    /// How many identical events the message stands for (1: the event alone).
    pub(super) occurrences: u64,
    /// Events dropped (queue full) since the last message.
    pub(super) dropped: u64,
}

/// `1234567` as "1,234,567".
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The title: the settings' format with its placeholders replaced (each once, so a
/// value cannot bring a placeholder of its own).
pub(super) fn title(settings: &Settings, record: &Record, occurrences: u64) -> String {
    let message = if record.message.is_empty() {
        "event"
    } else {
        record.message.lines().next().unwrap_or("event")
    };
    let mut out = String::new();
    let mut rest = settings.title.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('}') else { break };
        let value = match &after[1..close] {
            "level" => record.level.as_str(),
            "target" => record.target,
            "message" => message,
            "service" => settings.service.as_deref().unwrap_or(""),
            "host" => settings.host.as_deref().unwrap_or(""),
            _ => &after[..=close],
        };
        out.push_str(value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    let out = cut(out.trim(), 100);
    if occurrences > 1 {
        format!("{} × {out}", thousands(occurrences))
    } else {
        out
    }
}

/// The message for `record`, standing for `counts.occurrences` identical events; with
/// `repeats` (the values those events carried), a field whose value changed lists its
/// distinct values rather than the last one.
pub(super) fn message(
    settings: &Settings,
    record: &Record,
    counts: Counts,
    repeats: Option<&Repeats>,
) -> Markdown {
    let heading = if record.message.is_empty() {
        format!("{} {}", record.level, record.target)
    } else {
        cut(&record.message, MAX_VALUE_CHARS)
    };
    let mut body = Writer::with_capacity(512).heading(3, heading.as_str());
    if counts.occurrences > 1 {
        body = body.field(
            "occurrences",
            format!(
                "{} (this event, since the last message about it)",
                thousands(counts.occurrences)
            ),
        );
    }
    if counts.dropped > 0 {
        body = body.field(
            "dropped",
            format!(
                "{} event(s) not sent: the queue was full",
                thousands(counts.dropped)
            ),
        );
    }
    let mut budget = Budget {
        left: VALUE_BUDGET,
        left_out: 0,
    };
    for (name, value) in &record.fields {
        let line = match repeats.and_then(|r| r.field(name)) {
            Some(values) if values.distinct() != (1, false) => budget.take_list(name, values),
            _ => budget.take(name, value),
        };
        if let Some(line) = line {
            body = body.field(name, line);
        }
    }
    if !record.spans.is_empty() {
        let mut items = Vec::with_capacity(record.spans.len());
        for span in &record.spans {
            let mut item = span.name.to_owned();
            for (name, value) in &span.fields {
                let Some(value) = budget.take(name, value) else {
                    continue;
                };
                item.push(' ');
                item.push_str(name);
                item.push('=');
                item.push_str(&value);
            }
            items.push(item);
        }
        body = body.field("spans", items.join(" › "));
    }
    if budget.left_out > 0 {
        let left_out = budget.left_out;
        body = body.field("left out", format!("{left_out} long value(s)"));
    }
    if let Some(file) = record.file {
        let at = match record.line {
            Some(line) => format!("{file}:{line}"),
            None => file.to_owned(),
        };
        body = body.field("at", at);
    }
    body = body
        .field("level", record.level.as_str())
        .field("target", record.target);
    if let Some(service) = &settings.service {
        body = body.field("service", service);
    }
    if let Some(host) = &settings.host {
        body = body.field("host", host);
    }
    let mentions = settings.mentions_for(record.level);
    let mut msg = Markdown::new(title(settings, record, counts.occurrences), body.finish());
    if !mentions.is_empty() {
        msg = msg
            .at_mobiles(mentions.mobiles.iter().map(String::as_str))
            .at_user_ids(mentions.user_ids.iter().map(String::as_str));
        if mentions.all {
            msg = msg.at_all();
        }
    }
    msg
}

/// A message saying events were dropped, for when no event's message can carry it.
pub(super) fn dropped(settings: &Settings, dropped: u64) -> Markdown {
    let title = format!("{} event(s) dropped", thousands(dropped));
    let mut body = Writer::new().heading(3, title.as_str()).field(
        "dropped",
        format!(
            "{} event(s) not sent: the queue was full",
            thousands(dropped)
        ),
    );
    if let Some(service) = &settings.service {
        body = body.field("service", service);
    }
    if let Some(host) = &settings.host {
        body = body.field("host", host);
    }
    Markdown::new(title, body.finish())
}

/// What is left of a message's room for field values, and how many did not fit.
struct Budget {
    left: usize,
    left_out: usize,
}

impl Budget {
    /// The value, cut to [`MAX_VALUE_CHARS`], if it still fits escaped; else counted as
    /// left out.
    fn take(&mut self, name: &str, value: &str) -> Option<String> {
        let value = cut(value, MAX_VALUE_CHARS);
        let cost = escaped_len(&value) + name.len();
        if cost > self.left {
            self.left_out += 1;
            return None;
        }
        self.left -= cost;
        Some(value)
    }

    /// The distinct values of a field, as many as fit, then how many there were:
    /// `SO-1, SO-2, … (300 distinct)`. Counted as left out when not even one fits.
    fn take_list(&mut self, name: &str, values: &FieldValues) -> Option<String> {
        let (distinct, more) = values.distinct();
        let count = if more {
            format!("more than {} distinct", thousands(distinct as u64))
        } else {
            format!("{} distinct", thousands(distinct as u64))
        };
        // The name, the count and its separators.
        let fixed = name.len() + count.len() + 8;
        let mut estimate = fixed;
        let mut shown: Vec<String> = Vec::new();
        for value in values.listed() {
            // One line per field: a value's own line breaks become spaces.
            let value = value.replace(['\r', '\n'], " ");
            let cost = escaped_len(&value) + 2;
            if estimate + cost > self.left {
                break;
            }
            estimate += cost;
            shown.push(value);
        }
        if shown.is_empty() {
            self.left_out += 1;
            return None;
        }
        let mut text = shown.join(", ");
        if more || shown.len() < distinct {
            text.push_str(", …");
        }
        text.push_str(" (");
        text.push_str(&count);
        text.push(')');
        self.left = self.left.saturating_sub(escaped_len(&text) + name.len());
        Some(text)
    }
}

/// How many bytes `text` takes in a message, escaped.
fn escaped_len(text: &str) -> usize {
    Inline::from(text).as_str().len()
}

#[cfg(test)]
fn escaped(text: &str) -> String {
    crate::markdown::Inline::from(text).as_str().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(9_981), "9,981");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn values_are_cut_on_char_boundaries() {
        assert_eq!(cut("数据库超时", 2), "数据…");
        assert_eq!(cut("ok", 2), "ok");
        assert_eq!(escaped("*x*"), "\\*x\\*");
    }
}
