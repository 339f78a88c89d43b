//! Delivering one notification to one target, and what Alertmanager is answered.
//!
//! The rule: a 2xx only when every message of the notification was delivered, or is
//! held on disk (`hold_dir`, [`super::journal`]) to be delivered as soon as the window
//! has room — through a restart, a SIGKILL included, and through a DingTalk outage of up
//! to `hold_for`; otherwise a 5xx, so that Alertmanager (which retries only 5xx) keeps
//! the alerts and sends them again.
//!
//! While the robot's window has room and nothing is held, the messages go out at once and
//! the answer waits for DingTalk's (while the digest holds messages, new ones queue behind
//! them, so a resolved group never overtakes its firing message). When the window is full
//! or DingTalk throttles the robot, the rest is held (merged into summaries if the burst
//! goes on) and the answer is 200 "held" — with `hold_dir` only; without it, 503. When
//! DingTalk fails for a passing reason (down, busy, timing out) — on the bridge's own
//! send or on the digest's —, the answer is 503 and the alerts stay Alertmanager's, and
//! while it keeps failing nothing more is held. A re-send continues where the first copy
//! stopped, with the same `msgUuid`s ([`super::dedup`]), so nothing is posted twice.

use std::time::{Duration, Instant};

use dingbot::{DigestStats, Error, Pacing, Payload, RetryPolicy, Robot, RobotGroup};

use super::config::{Config, Target};
use super::dedup::{Dedup, Key};
use super::held::{Held, NotHeld};
use super::metrics::{self, Metrics};
use super::outcome::{Failure, Outcome, classify};
use super::payload::Notification;
use super::render::{self, Mentions, Style};

/// A target, ready to deliver: its robot (or robots, all in one group) and its digest.
pub struct TargetRobot {
    name: String,
    /// What it was built from, to tell whether a reload changes it.
    settings: Settings,
    robot: RobotGroup,
    held: Held,
    mentions: Mentions,
    /// The digest's stats last copied into the metrics.
    seen: std::sync::Mutex<DigestStats>,
    /// Since when sends fail for passing reasons (DingTalk down), if they do now.
    failing_since: std::sync::Mutex<Option<Instant>>,
    /// After a restart, until when nothing is sent ([`Held::quiet_until`]).
    quiet_until: Option<Instant>,
}

impl std::fmt::Debug for TargetRobot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TargetRobot")
            .field("name", &self.name)
            .field("robot", &self.robot)
            .finish_non_exhaustive()
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
    hold_dir: Option<std::path::PathBuf>,
    hold_for: Duration,
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
            hold_dir: config.hold_dir.clone(),
            hold_for: config.hold_for,
        }
    }
}

impl TargetRobot {
    /// Whether `target` in `config` would build the same robot.
    pub fn settings_match(&self, target: &Target, config: &Config) -> bool {
        self.settings == Settings::of(target, config)
    }

    /// The robot and digest for `target`. Runs inside the bridge's runtime.
    pub fn new(name: &str, target: &Target, config: &Config) -> Result<TargetRobot, String> {
        let robots = target
            .robots
            .iter()
            .map(|keys| robot_for(keys, target, config))
            .collect::<Result<Vec<Robot>, Error>>()
            .map_err(|e| match e {
                Error::PacingConflict { .. } => {
                    "its robot's pacing (`rate`, `redis`) cannot change while the robot \
                     in use holds the window; restart the bridge to change it"
                        .to_owned()
                }
                e => e.to_string(),
            })?;
        let robot = RobotGroup::new(robots).map_err(|e| e.to_string())?;
        let held = Held::new(name, &robot, config)?;
        // A window shared through Redis knows the sends before the restart.
        let quiet_until = match config.redis {
            Some(_) => None,
            None => held.quiet_until(config.rate.unwrap_or(dingbot::Rate::DINGTALK).per()),
        };
        Ok(TargetRobot {
            name: name.to_owned(),
            settings: Settings::of(target, config),
            robot,
            held,
            mentions: Mentions::of_target(target),
            seen: std::sync::Mutex::new(DigestStats::default()),
            failing_since: std::sync::Mutex::new(None),
            quiet_until,
        })
    }

    /// Holds again what `hold_dir` kept through a restart, once the quiet after the
    /// restart is over (in the background, then).
    pub fn replay(self: &std::sync::Arc<Self>, style: &Style) {
        let Some(until) = self.quiet() else {
            self.held.replay(style, &self.mentions);
            return;
        };
        tracing::info!(
            target_name = %self.name,
            quiet_secs = until.saturating_duration_since(Instant::now()).as_secs_f64(),
            "DingTalk took messages from this robot less than a window before the restart: \
             sending nothing until that window has passed, so the robot is not throttled"
        );
        let (target, style) = (std::sync::Arc::clone(self), style.clone());
        tokio::spawn(async move {
            tokio::time::sleep_until(until.into()).await;
            target.held.replay(&style, &target.mentions);
        });
    }

    /// Until when the target keeps quiet after a restart, if it still does.
    fn quiet(&self) -> Option<Instant> {
        self.quiet_until.filter(|until| *until > Instant::now())
    }

    /// Delivers `notification`, or holds it, or says why not.
    pub async fn deliver(
        &self,
        notification: &Notification,
        body: &[u8],
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
        if let Some(until) = self.quiet() {
            return Outcome::Retry {
                reason: format!(
                    "restarted less than a window after the robot's last send: sending again in {:.0}s, \
                     so that DingTalk does not throttle the robot",
                    until
                        .saturating_duration_since(Instant::now())
                        .as_secs_f64()
                ),
            };
        }
        // A resolved alert whose firing message never reached the group is not posted.
        let told;
        let mut notification = notification;
        if let Some((kept, dropped)) = self.held.without_untold(notification) {
            tracing::info!(target_name = %self.name, dropped, "resolved alerts whose firing message was given up on are not posted");
            if kept.alerts.is_empty() {
                slot.done = true;
                return Outcome::Delivered { messages: 0 };
            }
            told = kept;
            notification = &told;
        }
        let messages = render::render_parts(notification, style, &self.mentions);
        let total = messages.len();
        let mut sent = 0;
        let mut index = slot.taken;
        while index < total {
            let payload = match Payload::with_msg_uuid(
                &messages[index].message,
                slot.msg_uuid(index),
            ) {
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
            let sent_now = match self.held.stats().held {
                0 => self.robot.send_payload(&payload).await.map_err(classify),
                _ => Err(Failure::NoSlot { throttled: false }),
            };
            match sent_now {
                Ok(_) => {
                    self.set_failing(false);
                    self.held.record_send();
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
                        return match self.held.hold(&messages[index..], index, &mut slot, body) {
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
                            Err(NotHeld::NoPlace) => Outcome::Retry {
                                reason: "the robot's window is full; not holding without hold_dir (Alertmanager sends it again)".to_owned(),
                            },
                            Err(NotHeld::Failed(err)) => {
                                tracing::error!(target_name = %self.name, error = %err, "cannot hold the notification; answering 503");
                                Outcome::Retry {
                                    reason: format!("cannot hold the notification: {err}"),
                                }
                            }
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

    /// Since when delivery has been failing for passing reasons, if it is: the bridge's
    /// own sends or the digest's.
    fn failing(&self) -> Option<Instant> {
        let own = *self.failing_since.lock().unwrap_or_else(|e| e.into_inner());
        match own {
            Some(since) => Some(since),
            None => {
                let digest = self.held.stats();
                (digest.failing && digest.held > 0).then(Instant::now)
            }
        }
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
        let stats = self.held.stats();
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
        let held = self.held.stats().held;
        if held > 0 {
            tracing::info!(target_name = %self.name, held, "delivering the held messages before stopping");
        }
        let stats = self.held.close().await;
        self.sync_metrics(metrics);
        stats
    }
}

/// One robot of `target`, as the bridge sends: failing fast when its window is full
/// (the digest holds instead), retrying briefly (Alertmanager retries too).
fn robot_for(
    keys: &super::config::RobotKeys,
    target: &Target,
    config: &Config,
) -> Result<Robot, Error> {
    let mut builder = Robot::builder(keys.url.expose())
        .timeout(config.timeout)
        // Never wait for a slot inside a request: hold in the digest instead.
        .pacing(Pacing::FailFast)
        // Short retries: Alertmanager retries too, and it should hear back soon.
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .backoff(Duration::from_millis(200), Duration::from_secs(2)),
        );
    if let Some(secret) = &keys.secret {
        builder = builder.secret(secret.expose());
    }
    if let Some(proxy) = &target.proxy_url {
        builder = builder.proxy(proxy.expose());
    }
    if let Some(rate) = config.rate {
        builder = builder.rate_limit(rate);
    }
    if let Some(redis) = &config.redis {
        builder = builder.redis_pacing(redis.expose());
    }
    builder.build()
}
