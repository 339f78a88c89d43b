//! Delivering one notification to one target, and what Alertmanager is answered.
//!
//! The rule: a 2xx only when every message of the notification was delivered, or is
//! held by the target's [`Digest`] to be delivered as soon as the window has room;
//! otherwise a 5xx, so that Alertmanager (which retries only 5xx) keeps the alerts and
//! sends them again.
//!
//! While the robot's window has room and nothing is held, the messages go out at once and
//! the answer waits for DingTalk's (while the digest holds messages, new ones queue behind
//! them, so a resolved group never overtakes its firing message). When the window is full or DingTalk throttles the robot, the rest go
//! to the digest (merged into summaries if the burst goes on) and the answer is 200
//! "held". When DingTalk fails for a passing reason (down, busy, timing out), the answer
//! is 503 and the alerts stay Alertmanager's — and while it keeps failing, nothing more is
//! held either (the digest would give up on it sooner than Alertmanager does); a re-send continues where the first copy
//! stopped, with the same `msgUuid`s ([`super::dedup`]), so nothing is posted twice.

use std::time::{Duration, Instant};

use dingbot::{
    Digest, DigestConfig, DigestStats, Error, Message, Pacing, Payload, RetryPolicy, Robot,
};

use super::config::{Config, Target};
use super::dedup::{Dedup, Key};
use super::metrics::{self, Metrics};
use super::payload::Notification;
use super::render::{self, Mentions, Style};

/// A target, ready to deliver: its robot and its digest.
pub struct TargetRobot {
    name: String,
    /// What it was built from, to tell whether a reload changes it.
    settings: Settings,
    robot: Robot,
    digest: Digest,
    mentions: Mentions,
    /// The digest's stats last copied into the metrics.
    seen: std::sync::Mutex<DigestStats>,
    /// Since when sends fail for passing reasons (DingTalk down), if they do now.
    failing_since: std::sync::Mutex<Option<Instant>>,
    /// The titles of the messages held since the digest last held nothing: what a drain
    /// that runs out of time may leave undelivered.
    held_titles: std::sync::Mutex<Vec<String>>,
}

/// The most held titles a drain that runs out of time names in its log.
const MAX_TITLES_LOGGED: usize = 100;

impl std::fmt::Debug for TargetRobot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TargetRobot")
            .field("name", &self.name)
            .field("robot", &self.robot)
            .finish_non_exhaustive()
    }
}

/// What became of a notification, and so what Alertmanager is answered.
#[derive(Debug)]
pub enum Outcome {
    /// Every message was accepted by DingTalk: 200.
    Delivered { messages: usize },
    /// Some or all are held for delivery: 200.
    Held { sent: usize, held: usize },
    /// The same notification was taken before: 200.
    Duplicate,
    /// DingTalk failed for a passing reason, or nothing can hold it now: 503.
    Retry { reason: String },
    /// DingTalk refused it for good (the robot's settings, most likely): 500, so that
    /// Alertmanager reports the failure and retries after the settings are fixed.
    Refused { reason: String },
}

impl Outcome {
    /// The `outcome` label.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Delivered { .. } => "delivered",
            Outcome::Held { .. } => "held",
            Outcome::Duplicate => "duplicate",
            Outcome::Retry { .. } => "retry",
            Outcome::Refused { .. } => "refused",
        }
    }
}

/// How a send through the window failed.
enum Failure {
    /// The window is full or DingTalk throttles the robot: hold.
    NoSlot { throttled: bool },
    /// Try again later (Alertmanager will).
    Passing(Error),
    /// Sending it again will fail again.
    Final(Error),
}

fn classify(err: Error) -> Failure {
    let last = match &err {
        Error::RetriesExhausted { attempts } => attempts.last(),
        other => Some(other),
    };
    if let Some(Error::RateLimited { throttled, .. }) = last {
        return Failure::NoSlot {
            throttled: *throttled,
        };
    }
    if err.is_throttled() {
        return Failure::NoSlot { throttled: true };
    }
    if err.is_retryable() {
        Failure::Passing(err)
    } else {
        Failure::Final(err)
    }
}

/// Everything a [`TargetRobot`] is built from.
#[derive(PartialEq)]
struct Settings {
    target: Target,
    timeout: Duration,
    rate: Option<dingbot::Rate>,
    max_held: usize,
    drain_timeout: Duration,
    redis: Option<super::config::Secret>,
}

impl Settings {
    fn of(target: &Target, config: &Config) -> Settings {
        Settings {
            target: target.clone(),
            timeout: config.timeout,
            rate: config.rate,
            max_held: config.max_held,
            drain_timeout: config.drain_timeout,
            redis: config.redis.clone(),
        }
    }
}

impl TargetRobot {
    /// Whether `target` in `config` would build the same robot.
    pub fn settings_match(&self, target: &Target, config: &Config) -> bool {
        self.settings == Settings::of(target, config)
    }

    /// The robot and digest for `target`. Runs inside the bridge's runtime.
    pub fn new(name: &str, target: &Target, config: &Config) -> Result<TargetRobot, Error> {
        let mut builder = Robot::builder(target.url.expose())
            .timeout(config.timeout)
            // Never wait for a slot inside a request: hold in the digest instead.
            .pacing(Pacing::FailFast)
            // Short retries: Alertmanager retries too, and it should hear back soon.
            .retry(
                RetryPolicy::default()
                    .max_attempts(3)
                    .backoff(Duration::from_millis(200), Duration::from_secs(2)),
            );
        if let Some(secret) = &target.secret {
            builder = builder.secret(secret.expose());
        }
        if let Some(rate) = config.rate {
            builder = builder.rate_limit(rate);
        }
        if let Some(redis) = &config.redis {
            builder = builder.redis_pacing(redis.expose());
        }
        let robot = builder.build()?;
        let digest = robot.digest(
            DigestConfig::default()
                .max_held(config.max_held)
                .close_timeout(config.drain_timeout),
        )?;
        Ok(TargetRobot {
            name: name.to_owned(),
            settings: Settings::of(target, config),
            robot,
            digest,
            mentions: Mentions::of_target(target),
            seen: std::sync::Mutex::new(DigestStats::default()),
            failing_since: std::sync::Mutex::new(None),
            held_titles: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// Delivers `notification`, or holds it, or says why not.
    pub async fn deliver(
        &self,
        notification: &Notification,
        style: &Style,
        dedup: &Dedup,
        metrics: &Metrics,
        arrived: Instant,
    ) -> Outcome {
        let label = metrics::target(&self.name);
        let mut slot = dedup.begin(Key::of(&self.name, notification)).await;
        if slot.done {
            return Outcome::Duplicate;
        }
        let messages = render::render(notification, style, &self.mentions);
        let total = messages.len();
        let mut sent = 0;
        let mut index = slot.taken;
        while index < total {
            let payload = match Payload::with_msg_uuid(&messages[index], slot.msg_uuid(index)) {
                Ok(payload) => payload,
                // The renderer splits to fit and escapes everything: this is a bug.
                Err(err) => {
                    tracing::error!(target_name = %self.name, error = %err, "the rendered message is invalid");
                    return Outcome::Refused {
                        reason: format!("the rendered message is invalid: {err}"),
                    };
                }
            };
            // Behind what the digest holds, in order: a resolved group must not overtake
            // its own firing message.
            let sent_now = match self.digest.stats().held {
                0 => self.robot.send_payload(&payload).await.map_err(classify),
                _ => Err(Failure::NoSlot { throttled: false }),
            };
            match sent_now {
                Ok(_) => {
                    self.set_failing(false);
                    metrics.messages_sent.get_or_create(&label).inc();
                    sent += 1;
                    index += 1;
                    slot.taken = index;
                }
                Err(failure) => match failure {
                    Failure::NoSlot { throttled } => {
                        metrics.throttled.get_or_create(&label).inc();
                        // While DingTalk fails, what the digest would hold might wait
                        // longer than the digest keeps trying: Alertmanager keeps it.
                        if let Some(since) = self.failing() {
                            return Outcome::Retry {
                                reason: format!(
                                    "DingTalk has been failing for {:.0}s and the robot's window is full; not holding",
                                    since.elapsed().as_secs_f64()
                                ),
                            };
                        }
                        return match self.hold(&messages[index..], &mut slot, index) {
                            Ok(held) => {
                                tracing::info!(
                                    target_name = %self.name,
                                    sent,
                                    held,
                                    throttled,
                                    "the robot's window is full (or the digest holds messages to send first): holding the rest for delivery"
                                );
                                Outcome::Held { sent, held }
                            }
                            Err(err) => Outcome::Retry {
                                reason: format!("cannot hold the notification: {err}"),
                            },
                        };
                    }
                    Failure::Passing(err) => {
                        self.set_failing(true);
                        self.count_failure(metrics, &err);
                        tracing::warn!(
                            target_name = %self.name,
                            sent,
                            left = total - index,
                            error = %err,
                            "DingTalk failed for a passing reason; answering 503 so Alertmanager sends it again"
                        );
                        return Outcome::Retry {
                            reason: err.to_string(),
                        };
                    }
                    Failure::Final(err) => {
                        self.count_failure(metrics, &err);
                        tracing::error!(
                            target_name = %self.name,
                            error = %err,
                            "DingTalk refused the message; check the target's url, secret and the robot's security settings"
                        );
                        return Outcome::Refused {
                            reason: err.to_string(),
                        };
                    }
                },
            }
        }
        slot.done = true;
        metrics
            .latency
            .get_or_create(&label)
            .observe(arrived.elapsed().as_secs_f64());
        Outcome::Delivered { messages: sent }
    }

    /// Pushes `messages` (from number `first` on) into the digest. On a failure the
    /// ones pushed before it stay taken, so a re-send does not repeat them.
    fn hold(
        &self,
        messages: &[Message],
        slot: &mut super::dedup::Slot,
        first: usize,
    ) -> Result<usize, Error> {
        let nothing_held = self.digest.stats().held == 0;
        for (offset, message) in messages.iter().enumerate() {
            self.digest.push(message)?;
            slot.taken = first + offset + 1;
            let mut titles = self.held_titles.lock().unwrap_or_else(|e| e.into_inner());
            if nothing_held && offset == 0 {
                titles.clear();
            }
            if titles.len() < MAX_TITLES_LOGGED {
                titles.push(message.title().unwrap_or_default().to_owned());
            }
        }
        slot.done = true;
        Ok(messages.len())
    }

    fn failing(&self) -> Option<Instant> {
        *self.failing_since.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set_failing(&self, failing: bool) {
        let mut since = self.failing_since.lock().unwrap_or_else(|e| e.into_inner());
        match failing {
            true => {
                since.get_or_insert_with(Instant::now);
            }
            false => *since = None,
        }
    }

    fn count_failure(&self, metrics: &Metrics, err: &Error) {
        metrics
            .failed
            .get_or_create(&metrics::FailedLabels {
                target: self.name.clone(),
                errcode: metrics::errcode_label(err),
            })
            .inc();
    }

    /// Copies what the digest did since last time into the metrics.
    pub fn sync_metrics(&self, metrics: &Metrics) {
        let stats = self.digest.stats();
        let label = metrics::target(&self.name);
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        metrics
            .messages_sent
            .get_or_create(&label)
            .inc_by(stats.messages.saturating_sub(seen.messages));
        metrics
            .messages_merged
            .get_or_create(&label)
            .inc_by(stats.merged.saturating_sub(seen.merged));
        let given_up = (stats.failed + stats.undelivered + stats.dropped)
            .saturating_sub(seen.failed + seen.undelivered + seen.dropped);
        metrics.held_failed.get_or_create(&label).inc_by(given_up);
        metrics
            .held
            .get_or_create(&label)
            .set(i64::try_from(stats.held).unwrap_or(i64::MAX));
        *seen = stats;
    }

    /// Delivers what the digest holds (waiting at most the drain timeout) and reports
    /// what could not be.
    pub async fn close(&self, metrics: &Metrics) -> DigestStats {
        let held = self.digest.stats().held;
        if held > 0 {
            tracing::info!(target_name = %self.name, held, "delivering the held messages before stopping");
        }
        let digest = self.digest.clone();
        let stats = digest.close().await;
        if stats.undelivered > 0 || stats.held > 0 {
            let titles = self.held_titles.lock().unwrap_or_else(|e| e.into_inner());
            tracing::error!(
                target_name = %self.name,
                undelivered = stats.undelivered,
                last_error = stats.last_error.as_deref().unwrap_or(""),
                // The undelivered are among these (the held ones sent last, most likely).
                held_since_idle = %titles.join(" | "),
                "could not deliver every held message before the drain timeout; their alerts were answered 200 and are lost unless Alertmanager sends them again (at its repeat_interval)"
            );
        }
        self.sync_metrics(metrics);
        stats
    }
}
