//! The app robot that carries [`ChatOps`] in the group: a Stream mode client whose every
//! message is answered through its session webhook.

use std::sync::Arc;
use std::time::Duration;

use dingbot::stream::{StreamClient, StreamHandle};

use super::{Api, ChatOps, Sender};
use crate::alertmanager::config::ChatOpsSettings;

/// How long a request to Alertmanager's API may take.
const API_TIMEOUT: Duration = Duration::from_secs(10);

/// The most answers worked on at once; more messages wait for one to finish.
const MAX_ANSWERING: usize = 16;

/// A running Stream client answering the group, for the settings it was started with.
pub struct Running {
    settings: ChatOpsSettings,
    handle: StreamHandle,
}

impl Running {
    /// Connects the app in Stream mode and answers what the group writes to it. Must
    /// run inside the runtime.
    pub fn start(
        settings: &ChatOpsSettings,
        timezone: jiff::tz::TimeZone,
    ) -> Result<Running, String> {
        let api = Api::new(&settings.alertmanager_url, API_TIMEOUT)?;
        let ops = Arc::new(ChatOps::new(api, settings.allowed.clone(), timezone));
        let mut builder =
            StreamClient::builder(settings.client_id.clone(), settings.client_secret.clone());
        if let Some(url) = &settings.openapi_url {
            builder = builder.openapi(url.clone());
        }
        let client = builder
            .build()
            .map_err(|e| format!("chatops: cannot build the Stream client: {e}"))?;
        let mut messages = client.messages();
        let handle = messages.handle();
        let answering = Arc::new(tokio::sync::Semaphore::new(MAX_ANSWERING));
        tokio::spawn(async move {
            while let Some(msg) = messages.next().await {
                let Ok(permit) = Arc::clone(&answering).acquire_owned().await else {
                    break;
                };
                let ops = Arc::clone(&ops);
                tokio::spawn(async move {
                    let sender = Sender {
                        staff_id: msg.sender_staff_id.clone(),
                        nick: msg.sender_nick.clone(),
                    };
                    let reply = ops.answer(&sender, msg.text()).await;
                    if let Err(err) = msg.reply(&reply).await {
                        tracing::warn!(error = %err, "chatops: the reply could not be posted to the group");
                    }
                    drop(permit);
                });
            }
        });
        tracing::info!(
            client_id = %settings.client_id,
            alertmanager = %settings.alertmanager_url,
            "chatops: answering the group's commands in Stream mode"
        );
        Ok(Running {
            settings: settings.clone(),
            handle,
        })
    }

    /// Whether it runs with `settings`.
    pub fn runs(&self, settings: &ChatOpsSettings) -> bool {
        &self.settings == settings
    }

    /// Closes the connection and stops answering.
    pub async fn stop(&self) {
        self.handle.shutdown().await;
    }
}

/// The bridge's app robot: running while `chatops` is configured, restarted when a
/// reload changes it.
pub struct Answering(tokio::sync::Mutex<Option<Running>>);

impl Answering {
    /// Starts answering when `settings` are given. Must run inside the runtime.
    pub fn start(
        settings: Option<&ChatOpsSettings>,
        timezone: &jiff::tz::TimeZone,
    ) -> Result<Answering, String> {
        let running = settings
            .map(|settings| Running::start(settings, timezone.clone()))
            .transpose()?;
        Ok(Answering(tokio::sync::Mutex::new(running)))
    }

    /// Starts, stops or restarts it when a reload changed `chatops`.
    pub async fn follow(&self, settings: Option<&ChatOpsSettings>, timezone: &jiff::tz::TimeZone) {
        let mut running = self.0.lock().await;
        let same = match (&*running, settings) {
            (Some(now), Some(settings)) => now.runs(settings),
            (None, None) => true,
            _ => false,
        };
        if same {
            return;
        }
        if let Some(old) = running.take() {
            old.stop().await;
        }
        if let Some(settings) = settings {
            match Running::start(settings, timezone.clone()) {
                Ok(new) => *running = Some(new),
                Err(err) => tracing::error!(error = %err, "chatops: not answering the group"),
            }
        }
    }

    /// Stops answering.
    pub async fn stop(&self) {
        if let Some(running) = self.0.lock().await.take() {
            running.stop().await;
        }
    }
}
