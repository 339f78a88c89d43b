//! The acquire loop: asking Redis for a slot until one is granted, or the policy says
//! to stop; what a refusal means, what the script repaired, said in the logs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::super::pacing::Pacing;
use super::failure;
use super::script::{Answer, Failed, millis};
use super::wait::{Refusal, Waiting};
use super::{BACKOFF_MAX, BACKOFF_MIN, Fleet, Held, IN_FLIGHT_RECHECK};
use crate::error::Error;

impl Fleet {
    /// Takes a slot for one send in the fleet's window: the slot, and how many more
    /// were free besides it. Waits per `policy`, saying each minute what for; fails at
    /// once whatever the policy when Redis refuses the credentials or answers what the
    /// script never does.
    pub(crate) async fn acquire(
        self: &Arc<Self>,
        policy: Pacing,
        label: Option<String>,
    ) -> Result<(Held, usize), Error> {
        let member = match label {
            Some(label) => format!("{label}-{:08x}", fastrand::u32(..)),
            None => uuid::Uuid::new_v4().simple().to_string(),
        };
        let mut waiting = Waiting::new(policy, self.report_every);
        // One waiter per process asks at a time; a bounded wait queues no longer than
        // its bound, then asks once, as a fail-fast send does.
        let _turn = match (policy, waiting.deadline()) {
            (Pacing::FailFast, _) => None,
            (_, None) => Some(self.turn.lock().await),
            (_, Some(deadline)) => tokio::time::timeout_at(deadline.into(), self.turn.lock())
                .await
                .ok(),
        };
        let mut backoff = BACKOFF_MIN;
        let mut fence_logged = false;
        loop {
            let mut answered = None;
            let refusal = if let Some(until) = self.throttle.until() {
                let wait = until.saturating_duration_since(Instant::now());
                Refusal {
                    error: Error::RateLimited {
                        retry_after: wait,
                        throttled: true,
                    },
                    waiting_for: format!("DingTalk's throttle to end ({wait:.0?} left)"),
                    nap: wait,
                }
            } else {
                let notified = answered.insert(Box::pin(self.answered.notified()));
                notified.as_mut().enable();
                match self.ask(&member).await {
                    Ok(reply) => {
                        self.failures.reachable(true, None);
                        backoff = BACKOFF_MIN;
                        self.report_repairs(&reply.repairs);
                        match reply.answer {
                            Answer::Granted { free } => {
                                let held = Held {
                                    fleet: Arc::clone(self),
                                    member,
                                };
                                return Ok((held, free));
                            }
                            Answer::OtherRate { limit, window } => {
                                return Err(self.other_rate(limit, window));
                            }
                            Answer::Fenced(wait) if !fence_logged => {
                                fence_logged = true;
                                tracing::warn!(
                                    redis = self.failures.address(),
                                    wait_ms = millis(wait),
                                    "dingbot: Redis may not have the whole record of this robot's recent \
                                     sends (Redis restarted or failed over within the window, or its sends \
                                     key was lost); granting no slot for one window"
                                );
                                self.refusal(&reply.answer)
                            }
                            answer => self.refusal(&answer),
                        }
                    }
                    Err(Failed::NotUnderstood(reply)) => {
                        return Err(self.failures.not_understood(&reply));
                    }
                    Err(Failed::Redis(err)) if failure::refused(&err) => {
                        return Err(self.failures.refused(&err));
                    }
                    Err(Failed::Redis(err)) => {
                        let err = self.failures.redis("asking Redis for a slot failed", &err);
                        if policy == Pacing::FailFast {
                            return Err(err);
                        }
                        self.failures.reachable(false, Some(&err));
                        answered = None;
                        let pause = backoff;
                        backoff = (backoff * 2).min(BACKOFF_MAX);
                        Refusal {
                            waiting_for: format!("Redis to answer ({err})"),
                            error: err,
                            nap: pause + jitter(pause),
                        }
                    }
                }
            };
            if policy == Pacing::FailFast || waiting.expired() {
                return Err(refusal.error);
            }
            waiting.report(self.failures.address(), &refusal.waiting_for);
            tracing::debug!(
                wait_ms = millis(refusal.nap),
                waiting_for = refusal.waiting_for,
                "dingbot: waiting for a slot in the fleet's window"
            );
            let wake = waiting.wake(refusal.nap);
            match answered {
                Some(answered) => tokio::select! {
                    () = tokio::time::sleep_until(wake.into()) => {}
                    () = answered => {}
                },
                None => tokio::time::sleep_until(wake.into()).await,
            }
        }
    }

    /// What a send that is not granted `answer` waits for (and fails with, fail-fast).
    fn refusal(&self, answer: &Answer) -> Refusal {
        let limited = |wait: Duration, throttled: bool| Error::RateLimited {
            retry_after: wait,
            throttled,
        };
        match *answer {
            Answer::Throttled(wait) => {
                self.throttle.note(wait);
                Refusal {
                    error: limited(wait, true),
                    waiting_for: format!("DingTalk's throttle to end ({wait:.0?} left)"),
                    nap: wait,
                }
            }
            Answer::Full {
                wait,
                all_in_flight,
            } => Refusal {
                error: limited(wait, false),
                waiting_for: if all_in_flight {
                    format!(
                        "a slot in the fleet's window: every slot is held by a send in flight \
                         (at the latest, one frees in {wait:.0?})"
                    )
                } else {
                    format!("a slot in the fleet's window (one frees in {wait:.0?})")
                },
                // While every slot is held by a send in flight in another process, look
                // again soon: their answers move the window, and only this process'
                // own are announced.
                nap: if all_in_flight {
                    wait.min(IN_FLIGHT_RECHECK)
                } else {
                    wait
                },
            },
            Answer::Fenced(wait) => Refusal {
                error: limited(wait, false),
                waiting_for: format!(
                    "the fence to end ({wait:.0?} left): Redis may not have the whole record of \
                     this robot's recent sends"
                ),
                nap: wait,
            },
            Answer::Granted { .. } | Answer::OtherRate { .. } => Refusal {
                error: limited(Duration::ZERO, false),
                waiting_for: "Redis to answer again".to_owned(),
                nap: BACKOFF_MIN,
            },
        }
    }

    /// The script found something that cannot be true in the robot's keys and repaired
    /// it: said, naming the key (a hash of the token, never the token or the password).
    fn report_repairs(&self, repairs: &[String]) {
        for repair in repairs {
            tracing::warn!(
                redis = self.failures.address(),
                repair = repair.as_str(),
                "dingbot: Redis pacing found an impossible value in its keys and repaired it: {repair}"
            );
        }
    }

    /// The window in Redis counts at another rate than this robot's.
    fn other_rate(&self, limit: u64, window: Duration) -> Error {
        Error::PacingConflict {
            message: format!(
                "the fleet's window in Redis at {} holds sends counted at {limit} per \
                 {window:?} (margin included), and this robot paces at {} per {:?}: \
                 robots for one token must share one rate to stay under DingTalk's limit \
                 together; give every process the same rate_limit and pacing_margin \
                 (a new rate takes over once the old one's sends have left the window)",
                self.failures.address(),
                self.rate.limit(),
                self.window
            ),
        }
    }
}

/// Up to a tenth of `d` (at most 50 ms) and at least 1 ms, at random: waiters in
/// several processes that learnt the same free moment do not ask at the same instant.
fn jitter(d: Duration) -> Duration {
    let cap = (millis(d) / 10).clamp(1, 50);
    Duration::from_millis(fastrand::u64(1..=cap))
}
