//! The mentions a message leaves out ([`Named::invalid`], [`Named::over_cap`]): listed
//! in the message as text, so the on-call people still read who was meant; counted in
//! `/metrics` (`dingbot_alertmanager_mentions_dropped_total{target,reason}`); logged
//! once per value, remembered in a bounded memory, so a value repeated by every
//! notification of a group does not fill the log.

use std::collections::{HashSet, VecDeque};
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{LazyLock, Mutex};

use super::fit::shorten;
use super::mentions::{MAX_MENTIONS, Named};
use crate::alertmanager::metrics::{self, DroppedLabels};

/// The most values listed per reason in a message; the rest are counted.
pub const MAX_LISTED: usize = 20;

/// The longest value listed, in bytes; a longer one is cut.
const MAX_LISTED_BYTES: usize = 64;

/// How many values the log remembers having named; the oldest is forgotten first.
const MAX_REMEMBERED: usize = 10_000;

/// The most values one notification names in the log; the rest are counted in one line.
const MAX_LOGGED: usize = 5;

/// `values` as text for the message: the first [`MAX_LISTED`], each cut to at most
/// `limit` bytes (and [`MAX_LISTED_BYTES`]), then how many more.
fn listed(values: &[String], limit: usize) -> String {
    let mut text = String::new();
    for (i, value) in values.iter().take(MAX_LISTED).enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        text.push_str(&shorten(value, limit.min(MAX_LISTED_BYTES)));
    }
    if values.len() > MAX_LISTED {
        let _ = write!(text, " and {} more", values.len() - MAX_LISTED);
    }
    text
}

/// The text of the values that are no mobile number or user id, if any.
pub fn invalid_note(named: &Named, limit: usize) -> Option<String> {
    (!named.invalid.is_empty()).then(|| listed(&named.invalid, limit))
}

/// The text of the ids past the cap, if any.
pub fn over_cap_note(named: &Named, limit: usize) -> Option<String> {
    (!named.over_cap.is_empty()).then(|| {
        format!(
            "{} (at most {MAX_MENTIONS} a message)",
            listed(&named.over_cap, limit)
        )
    })
}

/// Counts what `named` leaves out, and logs each value the log has not named yet.
pub fn record(named: &Named) {
    let target = &named.mentions.target;
    for (reason, values, why) in [
        (
            "invalid",
            &named.invalid,
            "not a mobile number or user id; shown as text, not mentioned",
        ),
        (
            "over_cap",
            &named.over_cap,
            "past the mentions a message may hold; shown as text, not mentioned",
        ),
    ] {
        if values.is_empty() {
            continue;
        }
        metrics::mentions_dropped()
            .get_or_create(&DroppedLabels {
                target: target.clone(),
                reason: reason.to_owned(),
            })
            .inc_by(values.len() as u64);
        let new = first_seen(target, reason, values);
        for value in new.iter().take(MAX_LOGGED) {
            tracing::warn!(
                target_name = %target,
                value = %shorten(value, 2 * MAX_LISTED_BYTES),
                "a mention from an alert is {why}"
            );
        }
        if new.len() > MAX_LOGGED {
            tracing::warn!(
                target_name = %target,
                more = new.len() - MAX_LOGGED,
                "more mentions from alerts are {why}"
            );
        }
    }
}

/// The values of `values` the log has not named yet for `target` and `reason`, now
/// remembered.
fn first_seen<'a>(target: &str, reason: &str, values: &'a [String]) -> Vec<&'a String> {
    /// Hashes of what was logged, and the order to forget them in.
    static LOGGED: LazyLock<Mutex<(HashSet<u64>, VecDeque<u64>)>> =
        LazyLock::new(|| Mutex::new((HashSet::new(), VecDeque::new())));
    let mut logged = LOGGED.lock().unwrap_or_else(|e| e.into_inner());
    let (seen, order) = &mut *logged;
    values
        .iter()
        .filter(|value| {
            let mut hasher = DefaultHasher::new();
            (target, reason, value.as_str()).hash(&mut hasher);
            let key = hasher.finish();
            if !seen.insert(key) {
                return false;
            }
            order.push_back(key);
            if order.len() > MAX_REMEMBERED
                && let Some(oldest) = order.pop_front()
            {
                seen.remove(&oldest);
            }
            true
        })
        .collect()
}
