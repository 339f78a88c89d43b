//! [`Pipeline`]: what the bridge does with one notification before the network, for the
//! benchmarks and tests that measure or check it without a server.

use dingbot::Message;

use super::config::Config;
use super::dedup::Key as NotificationKey;
use super::payload::Notification;
use super::render::{Mentions, Style, render};

/// The bridge's work on one notification before anything is sent: read Alertmanager's
/// JSON, take the key that recognises the notification when it is sent again, and render
/// its messages with the target's mentions — the steps the server takes, in its order.
///
/// ```
/// use dingbot_cli::alertmanager::Pipeline;
///
/// let pipeline = Pipeline::new(
///     "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=x\n",
/// )?;
/// let body = br#"{"version":"4","groupKey":"{}:{alertname=\"Disk\"}","status":"firing",
///     "receiver":"ops","groupLabels":{"alertname":"Disk"},"commonLabels":{},
///     "commonAnnotations":{},"externalURL":"http://alertmanager:9093",
///     "alerts":[{"status":"firing","labels":{"alertname":"Disk"},"annotations":{},
///     "startsAt":"2026-12-01T11:44:54Z","endsAt":"0001-01-01T00:00:00Z",
///     "generatorURL":"","fingerprint":"f1"}]}"#;
/// let (key, messages) = pipeline.take("ops", body)?;
/// assert_eq!(messages.len(), 1);
/// assert_eq!(pipeline.take("ops", body)?.0, key, "the same notification, the same key");
/// # Ok::<(), String>(())
/// ```
#[derive(Debug)]
pub struct Pipeline {
    config: Config,
    style: Style,
}

impl Pipeline {
    /// A pipeline for a config file's text, checked as `--config` is; the error names the
    /// key and the line.
    pub fn new(config: &str) -> Result<Pipeline, String> {
        let config = Config::parse(config)?;
        Ok(Pipeline {
            style: Style::new(&config),
            config,
        })
    }

    /// Takes one notification (Alertmanager's webhook JSON) for `target`: its key and its
    /// messages. An error for a target the config does not have, or a body that is not
    /// Alertmanager's JSON.
    pub fn take(
        &self,
        target: &str,
        body: &[u8],
    ) -> Result<(NotificationKey, Vec<Message>), String> {
        let settings = self
            .config
            .targets
            .get(target)
            .ok_or_else(|| format!("no target {target:?} in the config"))?;
        let notification: Notification = serde_json::from_slice(body)
            .map_err(|e| format!("not Alertmanager's webhook JSON: {e}"))?;
        let key = NotificationKey::of(target, &notification);
        let messages = render(&notification, &self.style, &Mentions::of_target(settings));
        Ok((key, messages))
    }
}
