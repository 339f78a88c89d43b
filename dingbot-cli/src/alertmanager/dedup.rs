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

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha256};

use super::payload::Notification;

/// What recognises a notification sent again (by Alertmanager's retry, or a peer of its
/// cluster): equal keys, the same notification for the same target.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Key([u8; 32]);

impl Key {
    /// A key made of 32 bytes of one's own (a benchmark's or a test's notifications).
    pub fn from_bytes(bytes: [u8; 32]) -> Key {
        Key(bytes)
    }

    /// The key of `notification` for `target`.
    pub(crate) fn of(target: &str, notification: &Notification) -> Key {
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
            .map(|alert| (alert.identity(), alert.status.as_str()))
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
    fn new(now: Instant, key: &Key, window: Duration) -> Slot {
        Slot {
            created: now,
            done: false,
            taken: 0,
            seed: seed(key, window),
        }
    }

    /// The seed of its messages' `msgUuid`s.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The `msgUuid` of the notification's message number `index`: the same for every
    /// copy of the notification inside the window.
    pub fn msg_uuid(&self, index: usize) -> String {
        msg_uuid(self.seed, index)
    }
}

/// The `msgUuid` of message number `index` of a notification whose seed is `seed`.
pub fn msg_uuid(seed: u64, index: usize) -> String {
    format!("{seed:016x}{:016x}", index as u64)
}

/// The seed of a notification's `msgUuid`s: its key and the dedup window of the wall
/// clock it arrived in. A copy sent again after a restart of the bridge (which forgets
/// its slots) gets the same `msgUuid`s, so DingTalk does not post what it took before the
/// restart twice; a reminder Alertmanager sends windows later gets new ones and is posted.
fn seed(key: &Key, window: Duration) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let bucket = now / window.as_secs().max(1);
    let mut head = [0; 8];
    head.copy_from_slice(&key.0[..8]);
    u64::from_le_bytes(head) ^ bucket.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The notifications seen within the window.
///
/// Forgetting is amortized O(1): slots are queued in the order they were (re)started, so
/// the ones past the window, or the oldest when the table is full, are at the front.
/// A full table costs a new notification about what an empty one does (an earlier
/// version swept and sorted the whole table for every new notification once full).
pub struct Dedup {
    window: Duration,
    cap: usize,
    slots: Mutex<Table>,
}

struct Table {
    slots: HashMap<Key, Arc<tokio::sync::Mutex<Slot>>>,
    /// When each slot was (re)started, oldest first. A slot restarted after the window
    /// has a newer entry further back; its older entry is then stale and skipped.
    order: VecDeque<(Instant, Key)>,
}

/// The most notifications remembered; past it the oldest are forgotten early (a re-send
/// of one of those is posted again, which is better than running out of memory).
pub const MAX_REMEMBERED: usize = 100_000;

impl Dedup {
    /// Remembers notifications for `window`, at most [`MAX_REMEMBERED`].
    pub fn new(window: Duration) -> Dedup {
        Dedup::with_cap(window, MAX_REMEMBERED)
    }

    /// Remembers notifications for `window`, at most `cap` (at least 1).
    pub fn with_cap(window: Duration, cap: usize) -> Dedup {
        Dedup {
            window,
            cap: cap.max(1),
            slots: Mutex::new(Table {
                slots: HashMap::new(),
                order: VecDeque::new(),
            }),
        }
    }

    /// The slot of `key`, locked: waits while another copy of the notification is being
    /// delivered. A slot older than the window starts afresh.
    pub async fn begin(&self, key: Key) -> tokio::sync::OwnedMutexGuard<Slot> {
        let now = Instant::now();
        let slot = {
            let mut table = self.table();
            match table.slots.get(&key) {
                Some(slot) => Arc::clone(slot),
                None => {
                    self.forget(&mut table, now, 1);
                    let slot = Arc::new(tokio::sync::Mutex::new(Slot::new(now, &key, self.window)));
                    table.slots.insert(key, Arc::clone(&slot));
                    table.order.push_back((now, key));
                    slot
                }
            }
        };
        let mut guard = slot.lock_owned().await;
        if now.duration_since(guard.created) > self.window {
            *guard = Slot::new(now, &key, self.window);
            self.table().order.push_back((now, key));
        }
        guard
    }

    fn table(&self) -> std::sync::MutexGuard<'_, Table> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets, from the front of the queue, slots past the window and, while adding
    /// `room` would pass the cap, the oldest. A slot in use (a copy being delivered) is
    /// kept and queued again; each entry is looked at once per call, so a table full of
    /// slots in use is left over its cap rather than spun on.
    fn forget(&self, table: &mut Table, now: Instant, room: usize) {
        for _ in 0..table.order.len() {
            let Some(&(started, key)) = table.order.front() else {
                break;
            };
            let expired = now.duration_since(started) > self.window;
            let full = table.slots.len() + room > self.cap;
            if !expired && !full {
                break;
            }
            table.order.pop_front();
            let Some(slot) = table.slots.get(&key) else {
                continue;
            };
            // The slot's current start: forget it. An older start is a stale entry. A
            // slot in use is queued again.
            let verdict = slot.try_lock().map(|current| current.created == started);
            match verdict {
                Ok(true) => {
                    table.slots.remove(&key);
                }
                Ok(false) => {}
                Err(_) => table.order.push_back((started, key)),
            }
        }
    }

    /// How many notifications are remembered now.
    #[allow(clippy::len_without_is_empty)] // a table, not a collection to iterate
    pub fn len(&self) -> usize {
        self.table().slots.len()
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

    fn key(n: u32) -> Key {
        let mut bytes = [0; 32];
        bytes[..4].copy_from_slice(&n.to_le_bytes());
        Key::from_bytes(bytes)
    }

    #[tokio::test]
    async fn a_full_table_forgets_the_oldest_first_and_keeps_the_rest() {
        let dedup = Dedup::with_cap(Duration::from_secs(600), 100);
        for n in 0..250 {
            dedup.begin(key(n)).await.done = true;
        }
        assert_eq!(dedup.len(), 100);
        // The newest 100 are still known: a copy of one is a duplicate.
        for n in 150..250 {
            assert!(dedup.begin(key(n)).await.done, "{n} was forgotten");
        }
        // The oldest were forgotten: a copy of one is new again.
        assert!(!dedup.begin(key(0)).await.done);
        assert_eq!(dedup.len(), 100);
        assert!(dedup.begin(key(249)).await.done, "249 is among the newest");
    }

    #[tokio::test]
    async fn a_slot_in_delivery_is_never_forgotten_and_the_table_stays_bounded() {
        let dedup = Dedup::with_cap(Duration::from_secs(600), 10);
        let held = dedup.begin(key(0)).await;
        let started = held.created;
        for n in 1..100 {
            dedup.begin(key(n)).await.done = true;
        }
        assert!(dedup.len() <= 11, "{}", dedup.len());
        drop(held);
        // The held slot survived its turns at the front: a copy finds it, not a new one.
        let copy = dedup.begin(key(0)).await;
        assert_eq!(copy.created, started);
        drop(copy);
        for n in 100..200 {
            dedup.begin(key(n)).await.done = true;
        }
        assert_eq!(dedup.len(), 10);
    }

    #[tokio::test]
    async fn slots_past_the_window_are_forgotten_as_new_ones_come() {
        let dedup = Dedup::with_cap(Duration::from_millis(10), 1000);
        for n in 0..50 {
            dedup.begin(key(n)).await.done = true;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
        dedup.begin(key(1000)).await;
        assert_eq!(dedup.len(), 1, "the expired 50 are gone");
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
