//! Who a message mentions: the target's own people, and those an alert names in its
//! mention label or annotation (`dingtalk_at: "13900000001, manager4711"`).

use std::collections::BTreeSet;

use crate::alertmanager::config::{MentionFrom, Target};
use crate::alertmanager::payload::Alert;

/// Who a target always mentions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    /// Everyone in the group.
    pub all: bool,
    /// Mobile numbers.
    pub mobiles: Vec<String>,
    /// DingTalk user ids.
    pub user_ids: Vec<String>,
}

impl Mentions {
    /// The target's static mentions.
    pub fn of_target(target: &Target) -> Mentions {
        Mentions {
            all: target.mention_all,
            mobiles: target.mobiles.clone(),
            user_ids: target.user_ids.clone(),
        }
    }

    /// These, and everyone the alerts name in `from`'s label or annotation.
    pub fn with_alerts(&self, alerts: &[Alert], from: &MentionFrom) -> Mentions {
        let mut mobiles: BTreeSet<String> = self.mobiles.iter().cloned().collect();
        let mut user_ids: BTreeSet<String> = self.user_ids.iter().cloned().collect();
        for alert in alerts {
            let named = [
                from.label.as_ref().and_then(|k| alert.labels.get(k)),
                from.annotation
                    .as_ref()
                    .and_then(|k| alert.annotations.get(k)),
            ];
            for value in named.into_iter().flatten() {
                for id in value
                    .split([',', ';', ' ', '\t', '\n'])
                    .map(|id| id.trim().trim_start_matches('@'))
                    .filter(|id| !id.is_empty())
                {
                    if is_mobile(id) {
                        mobiles.insert(id.to_owned());
                    } else {
                        user_ids.insert(id.to_owned());
                    }
                }
            }
        }
        Mentions {
            all: self.all,
            mobiles: mobiles.into_iter().collect(),
            user_ids: user_ids.into_iter().collect(),
        }
    }
}

/// A mobile number: digits, maybe a `+` and dashes (DingTalk's `+86-138...`).
fn is_mobile(id: &str) -> bool {
    let digits = id.trim_start_matches('+');
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '-')
        && digits.chars().any(|c| c.is_ascii_digit())
}
