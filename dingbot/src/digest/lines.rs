//! [`Detail::Lines`](super::Detail::Lines) and [`Detail::Counts`](super::Detail::Counts):
//! a summary's events grouped by kind, each kind under one header with its count, then
//! one line per event — or, when the lines would take too many messages, as many as fit
//! and a count of the rest.

use std::ops::Range;

use super::event::{Event, TEXT_BUDGET, json_len};
use super::title::count_kinds;
use crate::markdown::{Inline, Writer};

/// A round's lines: each event's, or `None` for one only counted.
pub(super) struct Lines {
    pub(super) lines: Vec<Option<String>>,
    /// The round's kinds with their counts, the most frequent first.
    kinds: Vec<(String, usize)>,
}

impl Lines {
    /// The lines of a round's `events`, as many as fit in `max_messages` messages:
    /// kinds take turns, a line each, so that a rare kind is listed in full while a
    /// frequent one is cut short. Times (`HH:MM:SS`, `utc_offset_minutes` east of UTC)
    /// lead each line when the events are not all of one second.
    pub(super) fn new(events: &[Event], max_messages: usize, utc_offset_minutes: i32) -> Lines {
        let kinds: Vec<(String, usize)> = count_kinds(events.iter().map(|e| e.kind.as_str()))
            .into_iter()
            .map(|(k, n)| (k.to_owned(), n))
            .collect();
        let seconds = |e: &Event| e.at_ms.div_euclid(1000);
        let times = events
            .first()
            .is_some_and(|first| events.iter().any(|e| seconds(e) != seconds(first)));
        let lines: Vec<String> = events
            .iter()
            .map(|e| {
                let mut md = String::new();
                if times {
                    md.push_str(&clock_time(e.at_ms, utc_offset_minutes));
                    md.push(' ');
                }
                md.push_str(Inline::text(&e.summary).as_str());
                md
            })
            .collect();
        // Each kind's events in order, as indexes into `events`.
        let mut by_kind: Vec<std::collections::VecDeque<usize>> =
            vec![Default::default(); kinds.len()];
        for (i, e) in events.iter().enumerate() {
            if let Some(k) = kinds.iter().position(|(kind, _)| *kind == e.kind) {
                by_kind[k].push_back(i);
            }
        }
        // Headers, a "… and N more" per kind and the part headings, once per message.
        let overhead: usize =
            kinds.iter().map(|(k, _)| json_len(k) + 64).sum::<usize>() + max_messages * 200;
        let mut room = (max_messages * TEXT_BUDGET).saturating_sub(overhead);
        let mut listed = vec![false; events.len()];
        let mut open = by_kind.len();
        while open > 0 {
            open = 0;
            for queue in &mut by_kind {
                let Some(&i) = queue.front() else { continue };
                let cost = line_cost(&lines[i]);
                if cost > room {
                    queue.clear();
                    continue;
                }
                room -= cost;
                listed[i] = true;
                queue.pop_front();
                open += 1;
            }
        }
        let lines = lines
            .into_iter()
            .zip(listed)
            .map(|(line, listed)| listed.then_some(line))
            .collect();
        Lines { lines, kinds }
    }

    /// What grouping events into messages counts for each: its line's JSON size (none
    /// for an event only counted).
    pub(super) fn costs(&self) -> Vec<usize> {
        self.lines
            .iter()
            .map(|l| l.as_deref().map_or(0, line_cost))
            .collect()
    }

    /// How many of `range` are only counted.
    pub(super) fn counted(&self, range: Range<usize>) -> u64 {
        self.lines[range].iter().filter(|l| l.is_none()).count() as u64
    }

    /// The body for `events[range]`: each kind under its header (its count here, and in
    /// the round when a part holds only some of it), its lines, and the count of the rest.
    pub(super) fn body(&self, events: &[Event], range: Range<usize>, mut md: Writer) -> Writer {
        for (kind, in_round) in &self.kinds {
            let of_kind: Vec<usize> = range.clone().filter(|&i| events[i].kind == *kind).collect();
            if of_kind.is_empty() {
                continue;
            }
            let here = of_kind.len();
            let mut header = Inline::bold(kind.as_str()) + format!(": {here}").as_str();
            if here < *in_round {
                header += format!(" of {in_round}").as_str();
            }
            md = md.paragraph(header);
            let listed: Vec<Inline> = of_kind
                .iter()
                .filter_map(|&i| self.lines[i].as_deref().map(Inline::raw))
                .collect();
            let more = here - listed.len();
            let rest = (more > 0).then(|| Inline::text(&format!("… and {more} more")));
            md = md.list(listed.into_iter().chain(rest));
        }
        md
    }
}

/// The body for [`Detail::Counts`](super::Detail::Counts): each kind of `events` with
/// its count.
pub(super) fn counts(events: &[Event], md: Writer) -> Writer {
    let kinds = count_kinds(events.iter().map(|e| e.kind.as_str()));
    md.list(
        kinds
            .into_iter()
            .map(|(kind, n)| Inline::text(&format!("{n} × {kind}"))),
    )
}

/// Bytes a line takes in a summary's JSON: its text, the `- ` before it, the line break.
fn line_cost(line: &str) -> usize {
    json_len(line) + 4
}

/// `HH:MM:SS` of `unix_ms`, `offset_minutes` east of UTC.
fn clock_time(unix_ms: i64, offset_minutes: i32) -> String {
    let seconds = (unix_ms.div_euclid(1000) + i64::from(offset_minutes) * 60).rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_are_local() {
        // 2026-01-01T00:00:05Z
        let ms = 1_767_225_605_000;
        assert_eq!(clock_time(ms, 0), "00:00:05");
        assert_eq!(clock_time(ms, 480), "08:00:05");
        assert_eq!(clock_time(ms, -60), "23:00:05");
    }
}
