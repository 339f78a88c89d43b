//! The HTTP side: prometheus-webhook-dingtalk's endpoints, `/metrics`, reloads and the
//! drain on SIGTERM (through which the endpoints stay up, answering as the table says).
//!
//! | endpoint | answer |
//! |---|---|
//! | `POST /dingtalk/{target}/send` | 200 delivered, held or a duplicate; 400 not Alertmanager's JSON; 404 no such target; 415 not `application/json`; 503 DingTalk failing or shutting down (Alertmanager retries); 500 DingTalk refused it for good |
//! | `GET /-/healthy` | 200 while the process runs |
//! | `GET /-/ready` | 200 with a config loaded, 503 while shutting down |
//! | `POST`/`PUT /-/reload` | 200 reloaded; 500 with the config's error (the old config stays); 415 a body that is not `application/json` |
//! | `GET /metrics` | Prometheus text format |
//!
//! Every endpoint answers 421 to a request addressed to a name that is not an IP
//! address, `localhost` or listed with `--allowed-host`, and the notification and reload
//! endpoints 403 to a request a web page sent (`guard.rs`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use super::chatops::Answering;
use super::config::{Config, ConfigError};
use super::dedup::Dedup;
use super::deliver::TargetRobot;
use super::guard::{self, AllowedHosts, Guard};
use super::metrics::{Metrics, OutcomeLabels, ResultLabel, StatusLabels};
use super::outcome::Outcome;
use super::payload::{Notification, Status};
use super::render::Style;

/// The largest notification accepted (Alertmanager sends every alert of a group; a few
/// thousand alerts fit).
const MAX_REQUEST_BYTES: usize = 32 * 1024 * 1024;

/// A config in use: its targets' robots and how messages look.
struct Active {
    config: Config,
    style: Style,
    targets: BTreeMap<String, Arc<TargetRobot>>,
}

impl Active {
    /// Builds the robots of `config`, keeping those of `previous` whose settings did not
    /// change (with what their digests hold). Must run inside the runtime.
    fn new(config: Config, previous: Option<&Active>) -> Result<Active, String> {
        let mut targets = BTreeMap::new();
        for (name, target) in &config.targets {
            let kept = previous
                .and_then(|p| p.targets.get(name))
                .filter(|robot| robot.settings_match(target, &config));
            let robot = match kept {
                Some(robot) => Arc::clone(robot),
                None => Arc::new(
                    TargetRobot::new(name, target, &config)
                        .map_err(|e| format!("targets.{name}: {e}"))?,
                ),
            };
            targets.insert(name.clone(), robot);
        }
        Ok(Active {
            style: Style::new(&config),
            config,
            targets,
        })
    }
}

/// The running bridge.
pub struct Bridge {
    config_path: PathBuf,
    active: RwLock<Arc<Active>>,
    dedup: RwLock<Arc<Dedup>>,
    metrics: Metrics,
    draining: AtomicBool,
    /// Held (shared) by every notification being taken; the drain takes it alone once, to
    /// wait for those that began before it.
    taking: tokio::sync::RwLock<()>,
    /// Configs replaced by a reload, whose digests are still delivering what they hold.
    retired: Mutex<Vec<tokio::task::JoinHandle<()>>>,
    reloading: tokio::sync::Mutex<()>,
    /// The app robot answering the group's commands (`chatops`), when configured.
    chatops: Answering,
}

impl Bridge {
    /// Loads the config at `path` and builds its robots.
    pub fn start(config_path: PathBuf) -> Result<Arc<Bridge>, ConfigError> {
        let config = Config::load(&config_path)?;
        Self::warn_about(&config);
        let dedup = Dedup::new(config.dedup_window);
        let active =
            Active::new(config, None).map_err(|message| ConfigError::new(&config_path, message))?;
        // What hold_dir kept through a restart goes out first.
        for target in active.targets.values() {
            target.replay(&active.style);
        }
        let chatops = Answering::start(active.config.chatops.as_ref(), &active.config.timezone)
            .map_err(|message| ConfigError::new(&config_path, message))?;
        let bridge = Arc::new(Bridge {
            config_path,
            active: RwLock::new(Arc::new(active)),
            dedup: RwLock::new(Arc::new(dedup)),
            metrics: Metrics::new(),
            draining: AtomicBool::new(false),
            taking: tokio::sync::RwLock::new(()),
            retired: Mutex::new(Vec::new()),
            reloading: tokio::sync::Mutex::new(()),
            chatops,
        });
        Ok(bridge)
    }

    fn warn_about(config: &Config) {
        if let Some(templates) = &config.templates {
            let files: Vec<String> = templates
                .files()
                .iter()
                .map(|f| f.display().to_string())
                .collect();
            tracing::info!(files = %files.join(", "), "messages are rendered by the config's Go templates");
        }
        let names: Vec<&str> = config.targets.keys().map(String::as_str).collect();
        tracing::info!(
            targets = %names.join(", "),
            timezone = %config.timezone_name,
            "config loaded"
        );
        if names.is_empty() {
            tracing::warn!("the config has no targets: every notification will be answered 404");
        }
    }

    fn active(&self) -> Arc<Active> {
        Arc::clone(&self.active.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn dedup(&self) -> Arc<Dedup> {
        Arc::clone(&self.dedup.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Reads the config file again. On success the new config is used from the next
    /// notification on, and the old targets deliver what they hold in the background;
    /// on failure the old config stays and the error is returned.
    pub async fn reload(self: &Arc<Bridge>) -> Result<(), String> {
        let _one_at_a_time = self.reloading.lock().await;
        // The drain closes the targets it found; a reload now would open ones nobody closes.
        if self.draining.load(Ordering::SeqCst) {
            return Err("the bridge is stopping; the config is not reloaded".to_owned());
        }
        let result = Config::load(&self.config_path)
            .map_err(|e| e.to_string())
            .and_then(|config| {
                Self::warn_about(&config);
                let window = config.dedup_window;
                Active::new(config, Some(&self.active())).map(|active| (active, window))
            });
        let (active, window) = match result {
            Ok(new) => new,
            Err(err) => {
                self.metrics
                    .reloads
                    .get_or_create(&ResultLabel {
                        result: "failure".into(),
                    })
                    .inc();
                self.metrics.config_ok.set(0);
                tracing::error!(error = %err, "reload failed; keeping the config in use");
                return Err(err);
            }
        };
        let old = {
            let mut current = self.active.write().unwrap_or_else(|e| e.into_inner());
            std::mem::replace(&mut *current, Arc::new(active))
        };
        if old.config.dedup_window != window {
            *self.dedup.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(Dedup::new(window));
        }
        self.metrics
            .reloads
            .get_or_create(&ResultLabel {
                result: "success".into(),
            })
            .inc();
        self.metrics.config_ok.set(1);
        tracing::info!("config reloaded");
        self.retire(old);
        let active = self.active();
        self.chatops
            .follow(active.config.chatops.as_ref(), &active.config.timezone)
            .await;
        Ok(())
    }

    /// Lets the targets a reload replaced or removed deliver what they hold, in the
    /// background.
    fn retire(self: &Arc<Bridge>, old: Arc<Active>) {
        let current = self.active();
        let gone: Vec<Arc<TargetRobot>> = old
            .targets
            .iter()
            .filter(|(name, robot)| {
                current
                    .targets
                    .get(*name)
                    .is_none_or(|now| !Arc::ptr_eq(now, robot))
            })
            .map(|(_, robot)| Arc::clone(robot))
            .collect();
        if gone.is_empty() {
            return;
        }
        let bridge = Arc::clone(self);
        let task = tokio::spawn(async move {
            for target in gone {
                target.close(&bridge.metrics).await;
            }
        });
        let mut retired = self.retired.lock().unwrap_or_else(|e| e.into_inner());
        retired.retain(|t| !t.is_finished());
        retired.push(task);
    }

    /// The HTTP routes, for requests addressed to an IP address, `localhost` or one of
    /// `hosts`; the notification and reload endpoints take JSON from no web page.
    pub fn router(self: &Arc<Bridge>, hosts: AllowedHosts) -> Router {
        let checks = Guard::new(hosts, self.metrics.refused.clone());
        Router::new()
            .route(
                "/dingtalk/{target}/send",
                post(send)
                    .route_layer(from_fn_with_state(Arc::clone(&checks), guard::notification)),
            )
            .route("/-/healthy", get(healthy).head(healthy))
            .route("/-/ready", get(ready).head(ready))
            .route(
                "/-/reload",
                post(reload)
                    .put(reload)
                    .route_layer(from_fn_with_state(Arc::clone(&checks), guard::reload)),
            )
            .route("/metrics", get(metrics_page))
            .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
            .layer(from_fn_with_state(checks, guard::addressed_here))
            .with_state(Arc::clone(self))
    }

    /// Stops taking notifications (the listener stays open: `/-/ready` answers 503, and
    /// so does a new notification), waits for those being taken, then delivers what every
    /// target holds, waiting at most the drain timeout. Returns how many messages could
    /// not be delivered.
    pub async fn drain(self: &Arc<Bridge>) -> u64 {
        self.draining.store(true, Ordering::SeqCst);
        self.chatops.stop().await;
        // Every notification that began before is answered; every one after sees
        // `draining`.
        drop(self.taking.write().await);
        let active = self.active();
        tracing::info!(
            drain_timeout_secs = active.config.drain_timeout.as_secs_f64(),
            "stopping: delivering what is held"
        );
        let mut closing = tokio::task::JoinSet::new();
        for target in active.targets.values() {
            let (bridge, target) = (Arc::clone(self), Arc::clone(target));
            closing.spawn(async move { target.close(&bridge.metrics).await.undelivered });
        }
        let mut undelivered = 0;
        while let Some(done) = closing.join_next().await {
            undelivered += done.unwrap_or(0);
        }
        let retired = std::mem::take(&mut *self.retired.lock().unwrap_or_else(|e| e.into_inner()));
        for task in retired {
            let _ = tokio::time::timeout(active.config.drain_timeout, task).await;
        }
        if undelivered == 0 {
            tracing::info!("everything held was delivered");
        }
        undelivered
    }
}

fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}

async fn send(
    State(bridge): State<Arc<Bridge>>,
    Path(target): Path<String>,
    body: Bytes,
) -> Response {
    let arrived = Instant::now();
    let _taking = bridge.taking.read().await;
    if bridge.draining.load(Ordering::SeqCst) {
        return answer(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"status": "shutting down", "error": "the bridge is stopping; Alertmanager will send this again"}),
        );
    }
    let notification: Notification = match serde_json::from_slice(&body) {
        Ok(n) => n,
        Err(err) => {
            tracing::warn!(target_name = %target, error = %err, "not an Alertmanager notification");
            return answer(
                StatusCode::BAD_REQUEST,
                json!({"error": format!("not an Alertmanager webhook notification (version 4 JSON): {err}")}),
            );
        }
    };
    let active = bridge.active();
    let Some(robot) = active.targets.get(&target) else {
        tracing::warn!(target_name = %target, "notification for a target the config does not have");
        // The config's other targets are not named: only the operator needs to know them.
        let named: String = target.chars().take(64).collect();
        return answer(
            StatusCode::NOT_FOUND,
            json!({"error": format!("no target named {named:?} in the config")}),
        );
    };
    let m = &bridge.metrics;
    m.notifications
        .get_or_create(&StatusLabels {
            target: target.clone(),
            status: notification.status.as_str().into(),
        })
        .inc();
    let (firing, resolved) = notification.counts();
    for (status, count) in [(Status::Firing, firing), (Status::Resolved, resolved)] {
        m.alerts
            .get_or_create(&StatusLabels {
                target: target.clone(),
                status: status.as_str().into(),
            })
            .inc_by(count as u64);
    }
    let dedup = bridge.dedup();
    let outcome = robot
        .deliver(&notification, &body, &active.style, &dedup, m, arrived)
        .await;
    m.outcomes
        .get_or_create(&OutcomeLabels {
            target: target.clone(),
            outcome: outcome.label().into(),
        })
        .inc();
    tracing::debug!(target_name = %target, group_key = %notification.group_key, outcome = outcome.label(), "notification handled");
    match outcome {
        Outcome::Delivered { messages } => answer(
            StatusCode::OK,
            json!({"status": "delivered", "messages": messages}),
        ),
        Outcome::Held { sent, held } => answer(
            StatusCode::OK,
            json!({"status": "held", "sent": sent, "held": held}),
        ),
        Outcome::Duplicate => answer(StatusCode::OK, json!({"status": "duplicate"})),
        Outcome::Retry { reason } => answer(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"status": "retry", "error": reason}),
        ),
        Outcome::Refused { reason } => answer(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"status": "refused", "error": reason}),
        ),
    }
}

async fn healthy() -> &'static str {
    "OK"
}

async fn ready(State(bridge): State<Arc<Bridge>>) -> Response {
    if bridge.draining.load(Ordering::SeqCst) {
        (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response()
    } else {
        (StatusCode::OK, "OK").into_response()
    }
}

async fn reload(State(bridge): State<Arc<Bridge>>) -> Response {
    match bridge.reload().await {
        Ok(()) => (StatusCode::OK, "config reloaded\n").into_response(),
        Err(err) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("failed to reload config: {err}\n"),
        )
            .into_response(),
    }
}

async fn metrics_page(State(bridge): State<Arc<Bridge>>) -> Response {
    for target in bridge.active().targets.values() {
        target.sync_metrics(&bridge.metrics);
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        bridge.metrics.encode(),
    )
        .into_response()
}
