//! A notification as DingTalk messages.
//!
//! Title as Alertmanager's own default: `[FIRING:3] HighLatency api-1` (the firing
//! count, the alert name, the other group label values), `[RESOLVED] HighLatency` when
//! the group has resolved. The body of a firing group leads with 🔥, a resolved one with
//! ✅; under it the labels every alert has, once (`**Labels**: job=api ·
//! service=checkout`; not the alert name, which the title shows, the severity, which has
//! its own line, nor the mention label); then one line per alert: its summary (else its
//! name), severity, the labels it does not share with the group as `key=value`, its
//! description, when it started (and ended) in the configured time zone, and a link to
//! its source; then links to Alertmanager and to silence the group. Everyone to
//! mention — the target's own, and those an alert names in its mention label or
//! annotation — is mentioned, in the body too, so they are notified; at most
//! [`mentions::MAX_MENTIONS`] a message. A value an alert names that is no mobile number or user
//! id, and everyone past the cap, is listed as text instead (never blocking the message),
//! counted in `/metrics` and logged once.
//!
//! A group too large for one message is split into parts (`(1/3)` in the title), each
//! within DingTalk's size limit; a value too long for any message is shortened.
//!
//! When the config names Go templates, they render instead (`super::template`): the
//! mentions are the same; a template failing on a notification falls back to this
//! layout, logged.
//!
//! | file | owns |
//! |---|---|
//! | `view.rs` | the look: the derived message views, the title, one message of a group |
//! | `mentions.rs` | who is mentioned: the target's people and those the alerts name, the cap |
//! | `dropped.rs` | the mentions left out: listed as text, counted, logged once per value |
//! | `fit.rs` | DingTalk's size limit: splitting into parts, shortening values |
//! | `links.rs` | links into Alertmanager: the receiver's alerts, a new silence |

mod dropped;
mod fit;
mod links;
mod mentions;
mod view;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_labels;

use dingbot::{At, DingMessage, Message};

use super::payload::Notification;
use super::template;

pub use mentions::Mentions;
pub use view::Style;

/// One message of a notification and the line that stands for it in a summary of held
/// messages: its alerts, one after the other (`🔥 Disk full on db-1 · instance=db-1`).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub message: Message,
    pub summary: String,
}

impl DingMessage for Rendered {
    fn to_message(&self) -> Message {
        self.message.clone()
    }

    fn summary(&self) -> Option<String> {
        Some(self.summary.clone())
    }
}

/// The messages for `notification`, in order, each within DingTalk's limit.
pub fn render(notification: &Notification, style: &Style, mentions: &Mentions) -> Vec<Message> {
    render_parts(notification, style, mentions)
        .into_iter()
        .map(|r| r.message)
        .collect()
}

/// [`render`]'s messages, each with its summary line. A Go template failing on it is
/// logged, and the group told in dingbot's own layout.
pub fn render_parts(
    notification: &Notification,
    style: &Style,
    mentions: &Mentions,
) -> Vec<Rendered> {
    match render_checked(notification, style, mentions) {
        Ok(parts) => parts,
        Err(err) => {
            tracing::error!(
                target_name = %mentions.target,
                error = %err,
                "a Go template failed on this notification; rendered by dingbot's own layout"
            );
            own_layout(notification, style, mentions)
        }
    }
}

/// [`render_parts`], with a Go template's failure as the error.
pub fn render_checked(
    notification: &Notification,
    style: &Style,
    mentions: &Mentions,
) -> Result<Vec<Rendered>, String> {
    let Some(templates) = &style.templates else {
        return Ok(own_layout(notification, style, mentions));
    };
    let named = mentions.with_alerts(&notification.alerts, &style.mention_from);
    dropped::record(&named);
    let m = &named.mentions;
    let mut at = At::mobiles(&m.mobiles).and(At::user_ids(&m.user_ids));
    if m.all {
        at = at.and(At::all());
    }
    // `.AtMobiles` is the target's `mention.mobiles`, as prometheus-webhook-dingtalk
    // fills it.
    let messages = template::render(
        templates,
        &mentions.target,
        notification,
        &at,
        &mentions.mobiles,
    )?;
    // A template's message stands for all the alerts; split, each part by its title.
    let count = messages.len();
    let line = (count == 1)
        .then(|| view::Group::new(notification, style).summary(0..notification.alerts.len()));
    Ok(messages
        .into_iter()
        .map(|message| Rendered {
            summary: line
                .clone()
                .unwrap_or_else(|| message.title().unwrap_or_default().to_owned()),
            message,
        })
        .collect())
}

/// dingbot's own layout.
fn own_layout(notification: &Notification, style: &Style, mentions: &Mentions) -> Vec<Rendered> {
    let named = mentions.with_alerts(&notification.alerts, &style.mention_from);
    dropped::record(&named);
    let group = view::Group::new(notification, style);
    // The widest part label, so a part that fits here fits with its real label.
    let probe = Some((999, 999));
    let parts = fit::split(0..notification.alerts.len(), &|range, squeeze| {
        group.fits(range, probe, squeeze, &named)
    });
    let count = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, (range, squeeze))| {
            let part = (count > 1).then_some((i + 1, count));
            Rendered {
                summary: group.summary(range.clone()),
                message: group.message(range, part, squeeze, &named),
            }
        })
        .collect()
}
