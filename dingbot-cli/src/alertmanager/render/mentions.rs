//! Who a message mentions: the target's own people, and those an alert names in its
//! mention label or annotation (`dingtalk_at: "13900000001, manager4711"`).
//!
//! What an alert names is data nobody checked, and one bad value must not stop the group
//! from being told: a value that is no mobile number or user id (an e-mail address,
//! `o'brien`, `_x`, over 64 bytes: what the library would refuse to mention) is not
//! mentioned but shown as text, and so is everyone past [`MAX_MENTIONS`].

use std::collections::HashSet;

use crate::alertmanager::config::{MentionFrom, Target, is_mention_id};
use crate::alertmanager::payload::Alert;

/// The most people one message mentions. Each mention is written twice (`@id` in the
/// body, the id in `at`), up to 65 bytes each, so 50 take at most about 6.5 KB of
/// DingTalk's 20,000: room is left for the alerts. Those past it are listed as text.
pub const MAX_MENTIONS: usize = 50;

/// Who a target always mentions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    /// Everyone in the group.
    pub all: bool,
    /// Mobile numbers.
    pub mobiles: Vec<String>,
    /// DingTalk user ids.
    pub user_ids: Vec<String>,
    /// The target's name, for `/metrics` and the log.
    pub target: String,
}

/// Who one notification mentions, and whom its alerts name that it does not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    /// Mentioned: the target's people first, then those the alerts name, in order, at
    /// most [`MAX_MENTIONS`].
    pub mentions: Mentions,
    /// Values the alerts name that are no mobile number or user id, in order, each once.
    pub invalid: Vec<String>,
    /// Ids past [`MAX_MENTIONS`], in order.
    pub over_cap: Vec<String>,
}

impl Mentions {
    /// The target's static mentions.
    pub fn of_target(target: &Target) -> Mentions {
        Mentions {
            all: target.mention_all,
            mobiles: target.mobiles.clone(),
            user_ids: target.user_ids.clone(),
            target: target.name.clone(),
        }
    }

    /// These, and everyone the alerts name in `from`'s label or annotation: at most
    /// [`MAX_MENTIONS`], the rest and every value that is no id set aside.
    pub fn with_alerts(&self, alerts: &[Alert], from: &MentionFrom) -> Named {
        let mut named = Named {
            mentions: Mentions {
                all: self.all,
                target: self.target.clone(),
                ..Mentions::default()
            },
            ..Named::default()
        };
        let mut seen: HashSet<&str> = HashSet::new();
        let statics = self
            .mobiles
            .iter()
            .chain(&self.user_ids)
            .map(String::as_str);
        for id in statics.chain(alerts.iter().flat_map(|alert| named_by(alert, from))) {
            if !seen.insert(id) {
                continue;
            }
            let m = &mut named.mentions;
            if !is_mention_id(id) {
                named.invalid.push(id.to_owned());
            } else if m.mobiles.len() + m.user_ids.len() >= MAX_MENTIONS {
                named.over_cap.push(id.to_owned());
            } else if is_mobile(id) {
                m.mobiles.push(id.to_owned());
            } else {
                m.user_ids.push(id.to_owned());
            }
        }
        named
    }
}

/// The ids `alert` names in `from`'s label and annotation, as written: separated by
/// commas, semicolons or spaces, a leading `@` dropped.
fn named_by<'a>(alert: &'a Alert, from: &'a MentionFrom) -> impl Iterator<Item = &'a str> {
    let label = from.label.as_ref().and_then(|k| alert.labels.get(k));
    let annotation = from
        .annotation
        .as_ref()
        .and_then(|k| alert.annotations.get(k));
    [label, annotation]
        .into_iter()
        .flatten()
        .flat_map(|value| value.split([',', ';', ' ', '\t', '\n']))
        .map(|id| id.trim().trim_start_matches('@'))
        .filter(|id| !id.is_empty())
}

/// A mobile number: digits, maybe a `+` and dashes (DingTalk's `+86-138...`).
fn is_mobile(id: &str) -> bool {
    let digits = id.trim_start_matches('+');
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '-')
        && digits.chars().any(|c| c.is_ascii_digit())
}
