//! A target's held messages: the digest that delivers them when the robot's window has
//! room, and, with `hold_dir`, their copy on disk ([`super::journal`]).
//!
//! Without `hold_dir` nothing is held: a message that cannot go out at once is answered
//! 503 and stays Alertmanager's, since a message held in memory only would be lost by a
//! restart after Alertmanager was told it was delivered.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use dingbot::{Digest, DigestConfig, DigestStats, RobotGroup};

use super::config::Config;
use super::dedup::{Slot, msg_uuid};
use super::journal::Journal;
use super::payload::{Notification, Status};
use super::render::{self, Mentions, Rendered, Style};

/// The most held titles a drain that runs out of time names in its log.
const MAX_TITLES_LOGGED: usize = 100;

/// The most alerts remembered as never told (their firing message given up on).
const MAX_UNTOLD: usize = 10_000;

/// Why a notification could not be held.
pub enum NotHeld {
    /// The config has no `hold_dir`.
    NoPlace,
    /// It could not be written or taken.
    Failed(String),
}

/// A target's digest and, with `hold_dir`, its journal.
pub struct Held {
    name: String,
    digest: Digest,
    journal: Option<Arc<Journal>>,
    max_held: usize,
    /// The journal's entries still to settle, by the number of the last digest event
    /// each holds. Locked while events are pushed, so that the settled hook never sees
    /// an event before its entry is here.
    pending: Arc<Mutex<BTreeMap<u64, PathBuf>>>,
    /// The titles of the messages held since the digest last held nothing.
    titles: Mutex<Vec<String>>,
    /// Alerts whose firing message was held and then given up on: the group never
    /// heard they fired, so it is not told they resolved.
    untold: Arc<Mutex<HashSet<String>>>,
}

impl Held {
    /// The digest of `robot` (its robots) for target `name`, and its journal under
    /// `hold_dir`.
    pub fn new(name: &str, robot: &RobotGroup, config: &Config) -> Result<Held, String> {
        let digest = robot
            .digest(
                // A storm of held notifications reads as one line per message, its
                // alerts' summaries ([`Rendered`]); the first is sent in full.
                DigestConfig::default()
                    .utc_offset_minutes(utc_offset_minutes(&config.timezone))
                    .max_held(config.max_held)
                    .close_timeout(config.drain_timeout)
                    .give_up_after(config.hold_for),
            )
            .map_err(|e| e.to_string())?;
        let journal = match &config.hold_dir {
            Some(root) => {
                Some(Arc::new(Journal::open(root, name).map_err(|e| {
                    format!("hold_dir {}: cannot use it: {e}", root.display())
                })?))
            }
            None => None,
        };
        let pending = Arc::new(Mutex::new(BTreeMap::<u64, PathBuf>::new()));
        let untold = Arc::new(Mutex::new(HashSet::new()));
        if let Some(journal) = &journal {
            let (pending, journal, name) =
                (Arc::clone(&pending), Arc::clone(journal), name.to_owned());
            let untold = Arc::clone(&untold);
            digest.on_settled(move |settled| {
                let done = {
                    let mut pending = pending.lock().unwrap_or_else(|e| e.into_inner());
                    let rest = pending.split_off(&settled.events.end);
                    std::mem::replace(&mut *pending, rest)
                };
                if settled.delivered {
                    journal.record_send();
                }
                for file in done.values() {
                    if !settled.delivered {
                        remember_untold(&untold, &journal, file);
                    }
                    journal.remove(file);
                }
                if !settled.delivered {
                    tracing::error!(
                        target_name = %name,
                        events = settled.events.end - settled.events.start,
                        "held messages given up: DingTalk refused them, or kept failing for longer than hold_for"
                    );
                }
            });
        }
        Ok(Held {
            name: name.to_owned(),
            digest,
            journal,
            max_held: config.max_held,
            pending,
            titles: Mutex::new(Vec::new()),
            untold,
        })
    }

    /// `notification` without the resolved alerts whose firing message was given up on
    /// (the group never heard of them), and how many those were; `None` when it has none.
    pub fn without_untold(&self, notification: &Notification) -> Option<(Notification, usize)> {
        let mut untold = self.untold.lock().unwrap_or_else(|e| e.into_inner());
        let is_untold = |alert: &super::payload::Alert| {
            alert.status == Status::Resolved && untold.contains(&alert.identity())
        };
        if untold.is_empty() || !notification.alerts.iter().any(is_untold) {
            return None;
        }
        let mut kept = notification.clone();
        let before = kept.alerts.len();
        kept.alerts
            .retain(|alert| alert.status != Status::Resolved || !untold.remove(&alert.identity()));
        let dropped = before - kept.alerts.len();
        Some((kept, dropped))
    }

    /// Notes that DingTalk took a message from the target, so that a restart knows.
    pub fn record_send(&self) {
        if let Some(journal) = &self.journal {
            journal.record_send();
        }
    }

    /// Until when a restarted bridge keeps quiet: DingTalk counts the sends of the last
    /// `window` before the restart, which the new process's window does not know of, and
    /// sending past the limit gets the robot throttled for ten minutes. `None` when the
    /// last send is older than the window, or unknown.
    pub fn quiet_until(&self, window: std::time::Duration) -> Option<std::time::Instant> {
        let last = self.journal.as_ref()?.last_send()?;
        let since = last.elapsed().unwrap_or_default();
        let left = window.checked_sub(since)?;
        Some(std::time::Instant::now() + left)
    }

    /// What the digest has done.
    pub fn stats(&self) -> DigestStats {
        self.digest.stats()
    }

    /// Holds `messages`, numbers `first..` of the notification `body`: on disk first,
    /// then in the digest. Marks them taken in `slot`.
    pub fn hold(
        &self,
        messages: &[Rendered],
        first: usize,
        slot: &mut Slot,
        body: &[u8],
    ) -> Result<usize, NotHeld> {
        let Some(journal) = &self.journal else {
            return Err(NotHeld::NoPlace);
        };
        let held_now = self.digest.stats().held;
        if held_now + messages.len() > self.max_held {
            return Err(NotHeld::Failed(format!(
                "{held_now} messages are held already (max_held)"
            )));
        }
        let file = journal
            .append(first, slot.seed(), body)
            .map_err(|e| NotHeld::Failed(format!("cannot write to hold_dir: {e}")))?;
        let nothing_held = held_now == 0;
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let mut last = None;
        for (offset, message) in messages.iter().enumerate() {
            let index = first + offset;
            match self
                .digest
                .push_with_msg_uuid(message, msg_uuid(slot.seed(), index))
            {
                Ok(number) => {
                    last = Some(number);
                    slot.taken = index + 1;
                    self.note_title(message, nothing_held && offset == 0);
                }
                Err(err) => {
                    match last {
                        Some(number) => {
                            pending.insert(number, file);
                        }
                        None => journal.remove(&file),
                    }
                    return Err(NotHeld::Failed(err.to_string()));
                }
            }
        }
        if let Some(number) = last {
            pending.insert(number, file);
        } else {
            journal.remove(&file);
        }
        slot.done = true;
        Ok(messages.len())
    }

    /// Holds again what the journal kept through a restart, in the order it was written;
    /// returns how many messages.
    pub fn replay(&self, style: &Style, mentions: &Mentions) -> usize {
        let Some(journal) = &self.journal else {
            return 0;
        };
        let entries = match journal.entries() {
            Ok(entries) => entries,
            Err(err) => {
                tracing::error!(target_name = %self.name, dir = %journal.dir().display(), error = %err, "cannot read hold_dir");
                return 0;
            }
        };
        let mut held = 0;
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        for entry in entries {
            let notification: Notification = match serde_json::from_slice(&entry.body) {
                Ok(n) => n,
                Err(err) => {
                    tracing::error!(target_name = %self.name, file = %entry.file.display(), error = %err, "a held notification cannot be read; left in hold_dir");
                    continue;
                }
            };
            let messages = render::render_parts(&notification, style, mentions);
            let mut last = None;
            for (index, message) in messages.iter().enumerate().skip(entry.first) {
                match self
                    .digest
                    .push_with_msg_uuid(message, msg_uuid(entry.seed, index))
                {
                    Ok(number) => {
                        last = Some(number);
                        held += 1;
                    }
                    Err(err) => {
                        tracing::error!(target_name = %self.name, error = %err, "cannot hold again what hold_dir kept; the rest stays there for the next start");
                        if let Some(number) = last {
                            pending.insert(number, entry.file);
                        }
                        return held;
                    }
                }
            }
            match last {
                Some(number) => {
                    pending.insert(number, entry.file);
                }
                None => journal.remove(&entry.file),
            }
        }
        if held > 0 {
            tracing::info!(target_name = %self.name, held, "holding again the messages kept in hold_dir through the restart");
        }
        held
    }

    fn note_title(&self, rendered: &Rendered, fresh: bool) {
        let mut titles = self.titles.lock().unwrap_or_else(|e| e.into_inner());
        if fresh {
            titles.clear();
        }
        if titles.len() < MAX_TITLES_LOGGED {
            titles.push(rendered.message.title().unwrap_or_default().to_owned());
        }
    }

    /// Delivers what is held, waiting at most the drain timeout, and reports what could
    /// not be.
    pub async fn close(&self) -> DigestStats {
        let stats = self.digest.clone().close().await;
        if stats.undelivered > 0 || stats.held > 0 {
            let titles = self.titles.lock().unwrap_or_else(|e| e.into_inner());
            let kept = match &self.journal {
                Some(journal) => format!(
                    "they stay in {} and are sent after the restart",
                    journal.dir().display()
                ),
                None => "they are lost".to_owned(),
            };
            tracing::error!(
                target_name = %self.name,
                undelivered = stats.undelivered,
                last_error = stats.last_error.as_deref().unwrap_or(""),
                // The undelivered are among these (the held ones sent last, most likely).
                held_since_idle = %titles.join(" | "),
                "could not deliver every held message before the drain timeout; {kept}"
            );
        }
        stats
    }
}

/// `zone`'s offset from UTC now, in minutes: the times on a summary's lines.
fn utc_offset_minutes(zone: &jiff::tz::TimeZone) -> i32 {
    zone.to_offset(jiff::Timestamp::now()).seconds() / 60
}

/// Remembers the firing alerts of the held notification in `file`, whose messages were
/// given up on.
fn remember_untold(untold: &Mutex<HashSet<String>>, journal: &Journal, file: &std::path::Path) {
    let Some(notification) = journal.read(file) else {
        return;
    };
    let mut untold = untold.lock().unwrap_or_else(|e| e.into_inner());
    for alert in notification
        .alerts
        .iter()
        .filter(|a| a.status == Status::Firing)
    {
        if untold.len() >= MAX_UNTOLD {
            break;
        }
        untold.insert(alert.identity());
    }
}
