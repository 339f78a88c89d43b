//! Recognising a notification Alertmanager sends again, so the group sees it once.
//!
//! Alertmanager re-sends a notification when it did not get a 2xx in time (a retry), and
//! two Alertmanagers of a cluster, or a restart, can send the same one twice. A
//! notification is identified by its target, its group key, its status and the
//! fingerprint and status of every alert in it ([`Key`]); it is remembered for the
//! dedup window from the first time it arrived.
//!
//! Each notification has a [`Slot`], held locked while it is delivered: a re-send that
//! arrives meanwhile waits for the first delivery and then learns its outcome, instead of
//! racing it. The slot remembers how many of the notification's messages were taken (sent
//! or held), so a re-send after a partial failure sends only the rest, and the
//! `msgUuid` of each message, so that DingTalk too posts a message it may already have
//! received only once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha256};

use super::payload::Notification;

/// What identifies a notification.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Key([u8; 32]);

impl Key {
    /// The key of `notification` for `target`.
    pub fn of(target: &str, notification: &Notification) -> Key {
        let mut hash = Sha256::new();
        let mut field = |bytes: &[u8]| {
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        };
        field(target.as_bytes());
        field(notification.group_key.as_bytes());
        field(notification.status.as_str().as_bytes());
        let mut alerts: Vec<(String, &str)> = notification
            .alerts
            .iter()
            .map(|alert| {
                // Alerts posted by hand may come without a fingerprint: their labels are
                // their identity then, as they are Alertmanager's.
                let identity = if alert.fingerprint.is_empty() {
                    alert
                        .labels
                        .iter()
                        .map(|(k, v)| format!("{k}\u{0}{v}\u{0}"))
                        .collect()
                } else {
                    alert.fingerprint.clone()
                };
                (identity, alert.status.as_str())
            })
            .collect();
        alerts.sort_unstable();
        for (identity, status) in &alerts {
            field(identity.as_bytes());
            field(status.as_bytes());
        }
        Key(hash.finalize().into())
    }
}

/// What is known of one notification.
#[derive(Debug)]
pub struct Slot {
    /// When it first arrived.
    created: Instant,
    /// Whether every message was taken: a later copy is a duplicate.
    pub done: bool,
    /// How many of its messages were sent or are held, in order.
    pub taken: usize,
    /// Makes its messages' `msgUuid`s.
    seed: u64,
}

impl Slot {
    fn new(now: Instant) -> Slot {
        Slot {
            created: now,
            done: false,
            taken: 0,
            seed: fastrand::u64(..),
        }
    }

    /// The `msgUuid` of the notification's message number `index`: the same for every
    /// copy of the notification inside the window.
    pub fn msg_uuid(&self, index: usize) -> String {
        format!("{:016x}{:016x}", self.seed, index as u64)
    }
}

/// The notifications seen within the window.
pub struct Dedup {
    window: Duration,
    slots: Mutex<Table>,
}

struct Table {
    slots: HashMap<Key, Arc<tokio::sync::Mutex<Slot>>>,
    last_sweep: Instant,
}

/// The most notifications remembered; past it the oldest are forgotten early (a re-send
/// of one of those is posted again, which is better than running out of memory).
const MAX_REMEMBERED: usize = 100_000;

impl Dedup {
    /// Remembers notifications for `window`.
    pub fn new(window: Duration) -> Dedup {
        Dedup {
            window,
            slots: Mutex::new(Table {
                slots: HashMap::new(),
                last_sweep: Instant::now(),
            }),
        }
    }

    /// The slot of `key`, locked: waits while another copy of the notification is being
    /// delivered. A slot older than the window starts afresh.
    pub async fn begin(&self, key: Key) -> tokio::sync::OwnedMutexGuard<Slot> {
        let now = Instant::now();
        let slot = {
            let mut table = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            if now.duration_since(table.last_sweep) > Duration::from_secs(1)
                || table.slots.len() > MAX_REMEMBERED
            {
                table.last_sweep = now;
                self.sweep(&mut table, now);
            }
            Arc::clone(
                table
                    .slots
                    .entry(key)
                    .or_insert_with(|| Arc::new(tokio::sync::Mutex::new(Slot::new(now)))),
            )
        };
        let mut guard = slot.lock_owned().await;
        if now.duration_since(guard.created) > self.window {
            *guard = Slot::new(now);
        }
        guard
    }

    /// Forgets slots past the window that nobody is using, and the oldest when too many.
    fn sweep(&self, table: &mut Table, now: Instant) {
        let window = self.window;
        table.slots.retain(|_, slot| match slot.try_lock() {
            Ok(slot) => now.duration_since(slot.created) <= window,
            Err(_) => true,
        });
        if table.slots.len() > MAX_REMEMBERED {
            let mut ages: Vec<(Instant, Key)> = table
                .slots
                .iter()
                .filter_map(|(key, slot)| slot.try_lock().ok().map(|s| (s.created, *key)))
                .collect();
            ages.sort_unstable_by_key(|(created, _)| *created);
            let excess = table.slots.len() - MAX_REMEMBERED;
            for (_, key) in ages.into_iter().take(excess) {
                table.slots.remove(&key);
            }
        }
    }

    /// How many notifications are remembered now.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .slots
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::super::payload::Notification;
    use super::*;

    fn notification(status: &str, alerts: &[(&str, &str)]) -> Notification {
        let alerts: Vec<serde_json::Value> = alerts
            .iter()
            .map(|(fp, st)| serde_json::json!({"status": st, "fingerprint": fp, "labels": {"a": fp}}))
            .collect();
        serde_json::from_value(serde_json::json!({
            "status": status, "groupKey": "{}:{alertname=\"X\"}", "alerts": alerts
        }))
        .unwrap()
    }

    #[test]
    fn the_key_is_target_group_status_and_alerts_in_any_order() {
        let a = notification("firing", &[("f1", "firing"), ("f2", "firing")]);
        let b = notification("firing", &[("f2", "firing"), ("f1", "firing")]);
        assert_eq!(Key::of("ops", &a), Key::of("ops", &b));
        assert_ne!(Key::of("ops", &a), Key::of("dev", &a));
        let one_resolved = notification("firing", &[("f1", "firing"), ("f2", "resolved")]);
        assert_ne!(Key::of("ops", &a), Key::of("ops", &one_resolved));
        let resolved = notification("resolved", &[("f1", "resolved"), ("f2", "resolved")]);
        assert_ne!(Key::of("ops", &a), Key::of("ops", &resolved));
        let fewer = notification("firing", &[("f1", "firing")]);
        assert_ne!(Key::of("ops", &a), Key::of("ops", &fewer));
    }

    #[tokio::test]
    async fn a_copy_waits_for_the_first_and_sees_its_outcome() {
        let dedup = Arc::new(Dedup::new(Duration::from_secs(60)));
        let key = Key::of("ops", &notification("firing", &[("f1", "firing")]));
        let mut first = dedup.begin(key).await;
        let uuid = first.msg_uuid(0);
        let copy = tokio::spawn({
            let dedup = Arc::clone(&dedup);
            async move {
                let slot = dedup.begin(key).await;
                (slot.done, slot.msg_uuid(0))
            }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(
            !copy.is_finished(),
            "the copy must wait for the first delivery"
        );
        first.taken = 1;
        first.done = true;
        drop(first);
        let (done, copy_uuid) = copy.await.unwrap();
        assert!(done);
        assert_eq!(copy_uuid, uuid);
        assert_eq!(dedup.len(), 1);
    }

    #[tokio::test]
    async fn a_slot_past_the_window_starts_afresh() {
        let dedup = Dedup::new(Duration::from_millis(10));
        let key = Key::of("ops", &notification("firing", &[("f1", "firing")]));
        let mut slot = dedup.begin(key).await;
        slot.done = true;
        let uuid = slot.msg_uuid(0);
        drop(slot);
        tokio::time::sleep(Duration::from_millis(30)).await;
        let slot = dedup.begin(key).await;
        assert!(!slot.done);
        assert_ne!(slot.msg_uuid(0), uuid, "a reminder gets new msgUuids");
    }
}
