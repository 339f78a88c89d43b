//! Answered sends held back from Redis to save round trips: each rides along with this
//! process' next acquire script, or is settled on its own a moment later. Until Redis
//! hears of it, a send keeps its pessimistic score (its latest possible answer), which
//! only makes the window stricter.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How long answered sends wait to ride along with the next acquire before they are
/// settled on their own.
pub(super) const SETTLE_DELAY: Duration = Duration::from_millis(5);

/// The answered sends of this process that Redis has not heard of yet.
#[derive(Default)]
pub(super) struct Unsettled(Mutex<Pending>);

#[derive(Default)]
struct Pending {
    answered: Vec<String>,
    /// Whether a settle of its own is scheduled.
    due: bool,
}

impl Unsettled {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Holds an answered send back for the next script.
    pub(super) fn push(&self, member: String) {
        self.lock().answered.push(member);
    }

    /// Marks a settle of its own as scheduled, unless one already is: the [`Due`] to
    /// hold until it runs, or `None`.
    pub(super) fn schedule(self: &Arc<Self>) -> Option<Due> {
        let mut pending = self.lock();
        if pending.due {
            return None;
        }
        pending.due = true;
        Some(Due(Arc::clone(self)))
    }

    /// Takes what is held back, for one script to carry; put back unless the script
    /// [delivered](Carried::delivered) it.
    pub(super) fn carry(&self) -> Carried<'_> {
        Carried {
            from: self,
            answered: std::mem::take(&mut self.lock().answered),
        }
    }
}

/// A scheduled settle of its own; dropping it (when the settle runs, or when its task
/// is dropped unrun by a runtime shutting down) lets the next answered send schedule
/// another.
pub(super) struct Due(Arc<Unsettled>);

impl Drop for Due {
    fn drop(&mut self) {
        self.0.lock().due = false;
    }
}

/// Answered sends carried by one script, put back for the next one when dropped
/// undelivered: the script failed, or its future was dropped before Redis answered (a
/// send cancelled while it asked for a slot).
pub(super) struct Carried<'a> {
    from: &'a Unsettled,
    answered: Vec<String>,
}

impl Carried<'_> {
    /// The sends carried.
    pub(super) fn members(&self) -> &[String] {
        &self.answered
    }

    /// Redis has them: nothing to put back.
    pub(super) fn delivered(mut self) {
        self.answered.clear();
    }
}

impl Drop for Carried<'_> {
    fn drop(&mut self) {
        if !self.answered.is_empty() {
            let answered = std::mem::take(&mut self.answered);
            self.from.lock().answered.extend(answered);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_script_did_not_deliver_is_carried_again() {
        let unsettled = Arc::new(Unsettled::default());
        unsettled.push("a".into());
        unsettled.push("b".into());
        {
            let carried = unsettled.carry();
            assert_eq!(carried.members(), ["a", "b"]);
            assert!(unsettled.carry().members().is_empty());
            // Dropped undelivered: put back.
        }
        unsettled.push("c".into());
        let carried = unsettled.carry();
        assert_eq!(carried.members(), ["a", "b", "c"]);
        carried.delivered();
        assert!(unsettled.carry().members().is_empty());
    }

    #[test]
    fn one_settle_is_scheduled_at_a_time() {
        let unsettled = Arc::new(Unsettled::default());
        let due = unsettled.schedule();
        assert!(due.is_some());
        assert!(unsettled.schedule().is_none());
        drop(due);
        assert!(unsettled.schedule().is_some());
    }
}
