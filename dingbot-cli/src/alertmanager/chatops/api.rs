//! Alertmanager's API v2, as much as the group's commands need: create and expire a
//! silence, list what fires.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use super::matchers::Matcher;

/// Answers from Alertmanager are read up to this size.
const MAX_ANSWER: usize = 4 << 20;

/// Alertmanager at a base URL (`http://alertmanager:9093`).
#[derive(Clone, Debug)]
pub struct Api {
    base: url::Url,
    http: reqwest::Client,
}

/// An alert as `GET /api/v2/alerts` lists it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Firing {
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub starts_at: String,
}

impl Api {
    /// The API of the Alertmanager at `base`; requests time out after `timeout`.
    pub fn new(base: &str, timeout: Duration) -> Result<Api, String> {
        let mut base =
            url::Url::parse(base).map_err(|e| format!("alertmanager_url {base:?}: {e}"))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(format!("alertmanager_url {base}: not an http(s) URL"));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
        Ok(Api { base, http })
    }

    fn url(&self, path: &str) -> Result<url::Url, String> {
        self.base.join(path).map_err(|e| e.to_string())
    }

    /// Creates a silence; its id.
    pub async fn silence(
        &self,
        matchers: &[Matcher],
        starts_at: jiff::Timestamp,
        ends_at: jiff::Timestamp,
        created_by: &str,
        comment: &str,
    ) -> Result<String, String> {
        #[derive(Deserialize)]
        struct Created {
            #[serde(rename = "silenceID")]
            silence_id: String,
        }
        let body = json!({
            "matchers": matchers,
            "startsAt": starts_at.to_string(),
            "endsAt": ends_at.to_string(),
            "createdBy": created_by,
            "comment": comment,
        });
        let answer = self
            .http
            .post(self.url("api/v2/silences")?)
            .json(&body)
            .send()
            .await
            .map_err(unreachable)?;
        let created: Created = read(answer).await?;
        Ok(created.silence_id)
    }

    /// Expires the silence `id`.
    pub async fn unsilence(&self, id: &str) -> Result<(), String> {
        // The id goes into the path: one segment, encoded.
        let mut url = self.url("api/v2/silence/")?;
        url.path_segments_mut()
            .map_err(|()| "alertmanager_url cannot take a path".to_owned())?
            .pop_if_empty()
            .push(id);
        let answer = self.http.delete(url).send().await.map_err(unreachable)?;
        let status = answer.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(refused(status, answer).await)
        }
    }

    /// The alerts firing now, neither silenced nor inhibited.
    pub async fn firing(&self) -> Result<Vec<Firing>, String> {
        let mut url = self.url("api/v2/alerts")?;
        url.query_pairs_mut()
            .append_pair("active", "true")
            .append_pair("silenced", "false")
            .append_pair("inhibited", "false");
        let answer = self.http.get(url).send().await.map_err(unreachable)?;
        read(answer).await
    }
}

fn unreachable(err: reqwest::Error) -> String {
    format!("Alertmanager cannot be reached: {err}")
}

async fn read<T: serde::de::DeserializeOwned>(answer: reqwest::Response) -> Result<T, String> {
    let status = answer.status();
    if !status.is_success() {
        return Err(refused(status, answer).await);
    }
    let body = bounded(answer).await?;
    serde_json::from_slice(&body).map_err(|e| format!("Alertmanager's answer cannot be read: {e}"))
}

async fn refused(status: reqwest::StatusCode, answer: reqwest::Response) -> String {
    let body = bounded(answer).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let text: String = text.trim().chars().take(300).collect();
    format!("Alertmanager answered {status}: {text}")
}

async fn bounded(mut answer: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = answer.chunk().await.map_err(unreachable)? {
        if body.len() + chunk.len() > MAX_ANSWER {
            return Err("Alertmanager's answer is too large".to_owned());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
