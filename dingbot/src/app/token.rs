//! The app's access token: fetched from `/v1.0/oauth2/accessToken`, cached, fetched anew
//! before it expires, and by one caller at a time (single flight).
//!
//! Every caller takes one lock: the first finds no fresh token and fetches one while the
//! others wait, then all of them use it. A token is fetched anew once the time left is
//! below a fifth of its lifetime (capped at 5 minutes: 7,200 s tokens are renewed 5
//! minutes early, as DingTalk's SDKs do), so a send never starts with a token about to
//! expire. A token the OpenAPI refused is dropped ([`Tokens::invalidate`]) only if it is
//! still the cached one, so many sends refused together cause one fetch, not many.

use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use super::facts::TOKEN_PATH;
use super::wire::{Failure, read_answer};
use crate::clock::Clock;
use crate::error::Error;
use crate::redacted::Redacted;

/// The most a token is fetched ahead of its expiry.
const MAX_RENEW_EARLY: Duration = Duration::from_secs(300);

/// The app's token cache.
pub(crate) struct Tokens {
    app_key: String,
    app_secret: Redacted,
    url: String,
    cached: Mutex<Option<Cached>>,
}

struct Cached {
    token: Redacted,
    renew_at: Instant,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    access_token: String,
    expire_in: u64,
}

impl Tokens {
    pub(crate) fn new(base: &str, app_key: String, app_secret: Redacted) -> Tokens {
        Tokens {
            app_key,
            app_secret,
            url: format!("{base}{TOKEN_PATH}"),
            cached: Mutex::new(None),
        }
    }

    /// A fresh token: the cached one, or one fetched now (by one caller at a time).
    pub(crate) async fn get(
        &self,
        http: &reqwest::Client,
        clock: &Clock,
    ) -> Result<Redacted, Failure> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| clock.now() < c.renew_at) {
            return Ok(c.token.clone());
        }
        let fetched = self.fetch(http).await?;
        let lifetime = Duration::from_secs(fetched.expire_in);
        let early = (lifetime / 5).min(MAX_RENEW_EARLY);
        let token = Redacted::new(fetched.access_token);
        *cached = Some(Cached {
            token: token.clone(),
            renew_at: crate::clock::later(clock.now(), lifetime - early),
        });
        tracing::debug!(
            expire_in = fetched.expire_in,
            "dingbot: fetched an app access token"
        );
        Ok(token)
    }

    /// Drops `refused` if it is still the cached token, so the next [`get`](Self::get)
    /// fetches a new one.
    pub(crate) async fn invalidate(&self, refused: &Redacted) {
        let mut cached = self.cached.lock().await;
        if cached
            .as_ref()
            .is_some_and(|c| c.token.expose() == refused.expose())
        {
            *cached = None;
        }
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<Answer, Failure> {
        let body = serde_json::json!({
            "appKey": self.app_key,
            "appSecret": self.app_secret.expose(),
        });
        let response = http
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(Failure::from_reqwest)?;
        let value = read_answer(response, &[self.app_secret.expose()]).await?;
        serde_json::from_value::<Answer>(value)
            .map_err(|e| Failure {
                error: Error::InvalidResponse {
                    status: 200,
                    snippet: format!("the token answer lacks accessToken or expireIn: {e}"),
                },
                transient: false,
            })
            .and_then(|answer| match answer.expire_in {
                0 => Err(Failure {
                    error: Error::InvalidResponse {
                        status: 200,
                        snippet: "the token answer's expireIn is 0".into(),
                    },
                    transient: false,
                }),
                _ => Ok(answer),
            })
    }
}
