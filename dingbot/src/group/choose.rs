//! Which of the group's robots takes a send: the first, from where the last choice
//! left off, with a slot free now; else the one whose window frees first.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::task::Poll;
use std::time::Duration;

use super::{RobotGroup, Slot};
use crate::client::label;
use crate::clock::later;
use crate::error::Error;
use crate::pace::{Pacing, Permit};
use crate::payload::Payload;

impl RobotGroup {
    /// A slot for one send in the window of one of the group's robots, waiting or failing
    /// per `policy` as a robot's own acquire does.
    ///
    /// Each robot's window is asked without waiting, starting after the robot that was
    /// chosen last. When none has room, the send waits for the soonest moment one frees
    /// (or for any of them to change in this process: an answer arrived, a throttle was
    /// marked) and asks them all again. A robot whose window cannot be asked (Redis
    /// unreachable) is passed over while another answers; when none answers, the send
    /// waits as the first robot asked would on its own.
    pub(crate) async fn acquire(
        &self,
        policy: Pacing,
        payload: Option<&Payload>,
    ) -> Result<Slot, Error> {
        let robots = &self.inner.robots;
        let name = |i: usize| {
            payload
                .filter(|_| robots[i].pacer().names_sends())
                .map(|payload| label(payload, 1))
        };
        if robots.len() == 1 || policy == Pacing::Off {
            let robot = self.inner.next.fetch_add(1, Ordering::Relaxed) % robots.len();
            let permit = match policy {
                Pacing::Off => Permit::none(),
                _ => robots[robot].pacer().acquire(policy, name(robot)).await?,
            };
            return Ok(Slot { robot, permit });
        }
        let clock = self.clock();
        let deadline = policy.wait_limit().map(|limit| later(clock.now(), limit));
        // Only unbounded waits queue for the turn: a bounded one keeps its bound.
        let _turn = match policy {
            Pacing::Wait => Some(self.inner.turn.lock().await),
            _ => None,
        };
        loop {
            // Listen before asking, so a change in between is not missed.
            let mut changes: Vec<_> = robots
                .iter()
                .map(|robot| Box::pin(robot.pacer().changed()))
                .collect();
            for change in &mut changes {
                change.as_mut().enable();
            }
            let start = self.inner.next.load(Ordering::Relaxed);
            let mut soonest: Option<(Duration, bool)> = None;
            let mut unanswered = None;
            for k in 0..robots.len() {
                let robot = (start + k) % robots.len();
                match robots[robot]
                    .pacer()
                    .acquire(Pacing::FailFast, name(robot))
                    .await
                {
                    Ok(permit) => {
                        self.inner.next.store(robot + 1, Ordering::Relaxed);
                        return Ok(Slot { robot, permit });
                    }
                    Err(Error::RateLimited {
                        retry_after,
                        throttled,
                    }) => {
                        let (wait, all_throttled) = soonest.unwrap_or((retry_after, true));
                        soonest = Some((wait.min(retry_after), all_throttled && throttled));
                    }
                    Err(err) => {
                        tracing::debug!(robot = robot + 1, error = %err, "dingbot: a robot of the group cannot be asked for a slot");
                        unanswered.get_or_insert(robot);
                    }
                }
            }
            let Some((wait, throttled)) = soonest else {
                // No window answered: wait (or fail) as the first robot asked does alone.
                let robot = unanswered.unwrap_or(start % robots.len());
                let permit = robots[robot].pacer().acquire(policy, name(robot)).await?;
                return Ok(Slot { robot, permit });
            };
            let now = clock.now();
            if deadline.is_some_and(|deadline| now >= deadline) {
                return Err(Error::RateLimited {
                    retry_after: wait,
                    throttled,
                });
            }
            let frees = later(now, wait);
            let until = deadline.map_or(frees, |deadline| deadline.min(frees));
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                throttled,
                "dingbot: waiting for a send slot in any of the group's robots"
            );
            tokio::select! {
                biased;
                () = any(&mut changes) => {}
                () = clock.sleep_until(until) => {}
            }
        }
    }
}

/// Resolves when any of `changes` does.
async fn any<F: Future<Output = ()>>(changes: &mut [Pin<Box<F>>]) {
    std::future::poll_fn(|cx| {
        for change in changes.iter_mut() {
            if change.as_mut().poll(cx).is_ready() {
                return Poll::Ready(());
            }
        }
        Poll::Pending
    })
    .await;
}
