//! A notification as DingTalk markdown messages through the templates: the title and
//! text they render, everyone to mention in `at` (and `@…` written into the text only
//! for those the template has not written), split into parts that each fit DingTalk's
//! limit — each part the templates rendered over its share of the alerts, `(1/3)` after
//! its title — and a text too long even for one alert cut with `…`.

use std::ops::Range;

use dingbot::{At, Markdown, Message, Payload};

use super::GoTemplates;
use crate::alertmanager::payload::Notification;

/// How far the text of a single alert too large for a message is cut, in bytes.
const CUTS: [usize; 5] = [16_000, 8_000, 4_000, 1_000, 200];

/// `target`'s messages for `notification`: `at` is everyone mentioned, `at_mobiles`
/// the template's `.AtMobiles`. An error when a template fails on this data.
pub fn render(
    templates: &GoTemplates,
    target: &str,
    notification: &Notification,
    at: &At,
    at_mobiles: &[String],
) -> Result<Vec<Message>, String> {
    let title_and_text = |range: Range<usize>| {
        templates.title_and_text(
            target,
            notification,
            &notification.alerts[range],
            at_mobiles,
        )
    };
    let build =
        |(title, text): (String, String), part: Option<(usize, usize)>, cut: Option<usize>| {
            let title = match part {
                Some((i, n)) => format!("{title} ({i}/{n})"),
                None => title,
            };
            let text = match cut {
                Some(limit) if text.len() > limit => {
                    let mut end = limit;
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    format!("{}…", &text[..end])
                }
                _ => text,
            };
            Message::from(Markdown::new(title, text).with_at(at.clone()))
        };
    let all = 0..notification.alerts.len();
    let whole = title_and_text(all.clone())?;
    // An empty title or text is the template's doing, not the size's: no cut mends it.
    build(whole.clone(), None, None)
        .validate()
        .map_err(|e| format!("the templates rendered a message DingTalk refuses: {e}"))?;
    // The widest part label, so that a part that fits here fits with its real label.
    let probe = Some((999, 999));
    if fits(&build(whole.clone(), probe, None)) {
        return Ok(vec![build(whole, None, None)]);
    }
    let mut parts = Vec::new();
    split(all, &mut parts, &|range, cut| {
        title_and_text(range).map(|t| fits(&build(t, probe, cut)))
    })?;
    let count = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, (range, cut))| {
            Ok(build(
                title_and_text(range)?,
                (count > 1).then_some((i + 1, count)),
                cut,
            ))
        })
        .collect()
}

/// Whether DingTalk takes `message` as it is.
fn fits(message: &Message) -> bool {
    message
        .body()
        .is_some_and(|body| body.len() <= dingbot::MAX_BODY_BYTES)
        && Payload::new(message).is_ok()
}

/// Halves `range` until each part fits; a part of one alert that does not fit is cut.
#[allow(clippy::type_complexity, reason = "a local callback")]
fn split(
    range: Range<usize>,
    parts: &mut Vec<(Range<usize>, Option<usize>)>,
    fits: &dyn Fn(Range<usize>, Option<usize>) -> Result<bool, String>,
) -> Result<(), String> {
    if fits(range.clone(), None)? {
        parts.push((range, None));
        return Ok(());
    }
    if range.len() <= 1 {
        for cut in CUTS {
            if fits(range.clone(), Some(cut))? {
                parts.push((range, Some(cut)));
                return Ok(());
            }
        }
        parts.push((range, Some(0)));
        return Ok(());
    }
    let middle = range.start + range.len() / 2;
    split(range.start..middle, parts, fits)?;
    split(middle..range.end, parts, fits)
}
