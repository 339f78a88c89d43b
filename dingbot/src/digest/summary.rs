//! Summaries: a round of events rendered as markdown messages, each within DingTalk's
//! size limit, in the [`Detail`] the digest was given. Nothing here sends or waits.

use std::collections::HashSet;
use std::ops::Range;

use super::config::{Detail, DigestConfig};
use super::event::{Chunk, Event, TEXT_BUDGET, json_len};
use super::full;
use super::lines::{Lines, counts};
use super::title::{Part, count_kinds, summary_title};
use crate::keywords::Keywords;
use crate::markdown::Writer;
use crate::message::{At, Markdown, Message};
use crate::payload::Payload;

/// What one message of a round will be.
#[derive(Clone)]
enum Planned {
    Summary(Range<usize>),
    /// An event that does not fit even alone in a summary (it was checked to fit as
    /// itself when pushed), sent as it is.
    Alone(usize),
}

/// How a round's events are shown.
enum Body {
    Full(Vec<String>),
    Lines(Lines),
    Counts,
}

/// The messages for a round, in order: summaries of consecutive events (`drops`
/// reported in the first), split to fit DingTalk's limit, every part titled with the
/// round's total after the robot's first keyword (which each summary so carries).
/// Each summary is encoded once, unless the size estimate it was grouped by was short
/// and it had to be split.
pub(super) fn summarize(
    events: &[Event],
    drops: u64,
    config: &DigestConfig,
    keywords: &Keywords,
) -> Vec<Chunk> {
    let (body, ranges) = match config.detail {
        Detail::Full => {
            let sections = full::sections(events);
            let ranges = group(events, &full::costs(&sections), false);
            (Body::Full(sections), ranges)
        }
        Detail::Lines => lines_within(events, config),
        Detail::Counts => {
            let costs: Vec<usize> = events.iter().map(|e| json_len(&e.kind) / 4).collect();
            (Body::Counts, group(events, &costs, true))
        }
    };
    let groups = count_kinds(events.iter().map(|e| e.kind.as_str()));
    let keyword = keywords.words().first().map(String::as_str);
    let mut plan: Vec<Planned> = ranges.into_iter().map(Planned::Summary).collect();
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
            let part = Part { number, of };
            let title = summary_title(keyword, &groups, config.max_title_groups, part);
            let summary = render(events, &body, range.clone(), drops, config, title);
            match Payload::new(&keywords.ensure(Message::Markdown(summary))) {
                Ok(payload) => chunks.push(Chunk {
                    payload,
                    events: range.len() as u64,
                    summary: true,
                    drops,
                    counted: match &body {
                        Body::Lines(lines) => lines.counted(range.clone()),
                        Body::Counts => range.len() as u64,
                        Body::Full(_) => 0,
                    },
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

/// One line per event, grouped into at most `max_messages_per_round` messages: when the
/// lines that fit by the estimate still group into more, fewer are listed.
fn lines_within(events: &[Event], config: &DigestConfig) -> (Body, Vec<Range<usize>>) {
    let max = config.max_messages_per_round;
    let mut budget = max;
    loop {
        let lines = Lines::new(events, budget, config.utc_offset_minutes);
        let ranges = group(events, &lines.costs(), true);
        if ranges.len() <= max || budget == 1 {
            return (Body::Lines(lines), ranges);
        }
        budget -= 1;
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

/// Consecutive events grouped greedily on an estimate of their size: `costs`, plus
/// each mention twice (in `atMobiles`/`atUserIds` and as `@id` in the body) — once a
/// message with `dedup`, else once an event (as the events' own bodies hold them).
fn group(events: &[Event], costs: &[usize], dedup: bool) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut size = 0;
    let mut mentioned: HashSet<&str> = HashSet::new();
    for (i, (cost, event)) in costs.iter().zip(events).enumerate() {
        let ids: Vec<&str> = event.msg.at().map_or_else(Vec::new, |at| {
            at.get_mobiles()
                .iter()
                .chain(at.get_user_ids())
                .map(String::as_str)
                .collect()
        });
        let with_mentions = |seen: &HashSet<&str>| {
            cost + ids
                .iter()
                .filter(|id| !dedup || !seen.contains(*id))
                .map(|id| 2 * json_len(id) + 6)
                .sum::<usize>()
        };
        let mut cost = with_mentions(&mentioned);
        if i > start && size + cost > TEXT_BUDGET {
            ranges.push(start..i);
            start = i;
            size = 0;
            mentioned.clear();
            cost = with_mentions(&mentioned);
        }
        if dedup {
            mentioned.extend(ids);
        }
        size += cost;
    }
    ranges.push(start..events.len());
    ranges
}

/// The summary of `events[range]`, titled `title`.
fn render(
    events: &[Event],
    body: &Body,
    range: Range<usize>,
    drops: u64,
    config: &DigestConfig,
    title: String,
) -> Markdown {
    let merged = &events[range.clone()];
    let mut md = Writer::new().heading(4, title.as_str());
    if drops > 0 {
        md = md.quote(format!(
            "{drops} more event(s) were dropped: more than {} were waiting for a send slot.",
            config.max_held
        ));
    }
    md = match body {
        Body::Full(sections) => {
            for s in &sections[range] {
                md = md.raw(s);
            }
            md
        }
        Body::Lines(lines) => lines.body(events, range, md),
        Body::Counts => counts(merged, md),
    };
    // Everyone mentioned, once, at the end (the payload adds the `@id`s).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Text;
    use crate::dingtalk::MAX_BODY_BYTES;

    fn full() -> DigestConfig {
        DigestConfig::default().detail(Detail::Full)
    }

    fn events(msgs: impl IntoIterator<Item = Message>) -> Vec<Event> {
        msgs.into_iter()
            .map(|m| Event::new(&m, &Keywords::default(), None, 0).unwrap())
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
        let chunks = summarize(&burst, 0, &full(), &Keywords::default());
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
        let chunks = summarize(&burst, 7, &full().max_held(400), &Keywords::default());
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
        let chunks = summarize(&burst, 0, &full(), &Keywords::default());
        assert_eq!(chunks.len(), 1);
        let text = json(&chunks[0])["markdown"]["text"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(text.contains("truncated"), "{text}");
    }

    #[test]
    fn an_event_alone_keeps_the_payload_it_was_pushed_with() {
        let event = Event::new(&Text::new("disk full"), &Keywords::default(), None, 0).unwrap();
        let chunk = Chunk::alone(&event);
        let pushed = Chunk::payload_of(&event);
        assert_eq!(chunk.payload.msg_uuid(), pushed.msg_uuid());
        assert_eq!(chunk.payload.body(), pushed.body());
    }

    #[test]
    fn lines_beyond_the_round_are_counted_not_dropped() {
        let mut burst: Vec<Message> = (0..3000)
            .map(|i| {
                Markdown::new(format!("Order {i} failed"), "x")
                    .at_mobiles(["13800000000"])
                    .into()
            })
            .collect();
        burst.extend((0..3).map(|i| Message::from(Markdown::new(format!("Deploy {i}"), "y"))));
        let burst = events(burst);
        let config = DigestConfig::default().max_messages_per_round(2);
        let chunks = summarize(&burst, 0, &config, &Keywords::default());
        assert_eq!(chunks.len(), 2);
        let counted: u64 = chunks.iter().map(|c| c.counted).sum();
        assert!(counted > 0);
        let texts: Vec<String> = chunks
            .iter()
            .map(|c| json(c)["markdown"]["text"].as_str().unwrap().to_owned())
            .collect();
        let all = texts.join("\n");
        // The rare kind is listed in full; the frequent one is cut short, and says so.
        assert!(
            all.contains("- Deploy 2\n") || all.ends_with("- Deploy 2"),
            "{all}"
        );
        let more: u64 = all
            .match_indices("… and ")
            .map(|(at, _)| {
                let n = &all[at + "… and ".len()..];
                n[..n.find(' ').unwrap()].parse::<u64>().unwrap()
            })
            .sum();
        assert_eq!(more, counted);
        for (chunk, text) in chunks.iter().zip(&texts) {
            assert_eq!(text.matches("@13800000000").count(), 1, "{text}");
            assert!(chunk.payload.len() <= MAX_BODY_BYTES);
        }
        let title = json(&chunks[1])["markdown"]["title"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(title, "3003 events: 3000 × Order failed, 3 × Deploy (2/2)");
    }

    #[test]
    fn counts_are_terse() {
        let burst =
            events((0..50).map(|i| Message::from(Markdown::new(format!("Order {i} failed"), "x"))));
        let config = DigestConfig::default().detail(Detail::Counts);
        let keywords = Keywords::new(["告警"], false).unwrap();
        let chunks = summarize(&burst, 0, &config, &keywords);
        assert_eq!(chunks.len(), 1);
        let json = json(&chunks[0]);
        assert_eq!(
            json["markdown"]["title"],
            "告警 50 events: 50 × Order failed"
        );
        assert!(
            json["markdown"]["text"]
                .as_str()
                .unwrap()
                .ends_with("\n\n- 50 × Order failed"),
            "{json}"
        );
    }
}
