//! One OpenAPI call: a slot in the app's window, a token, the POST, and what to do with
//! a failure — fetch the token anew once when it was refused, retry what posted nothing.

use serde_json::Value;

use super::AppRobot;
use super::facts::TOKEN_HEADER;
use super::wire::{Failure, read_answer};
use crate::error::Error;
use crate::pace::{Pacing, Permit};
use crate::retry::Decision;

impl AppRobot {
    /// Posts `body` to `path` until it succeeds or the failure is final; the answer's
    /// JSON and how many attempts it took.
    pub(super) async fn call(&self, path: &str, body: &Value) -> Result<(Value, u32), Error> {
        let inner = &*self.inner;
        let url = format!("{}{path}", inner.openapi);
        let body = bytes::Bytes::from(body.to_string());
        let mut failures: Vec<Error> = Vec::new();
        let mut attempt: u32 = 1;
        let mut refreshed = false;
        loop {
            let permit = match inner.pacing {
                Pacing::Off => Permit::none(),
                policy => match inner.pacer.acquire(policy, None).await {
                    Ok(permit) => permit,
                    Err(err) => {
                        failures.push(err);
                        return Err(give_up(failures));
                    }
                },
            };
            let result = crate::client::runtime::catch_missing_io(async {
                Ok(self.attempt(&url, body.clone()).await)
            })
            .await?;
            drop(permit);
            let failure = match result {
                Ok(answer) => return Ok((answer, attempt)),
                Err(failure) => failure,
            };
            if failure.error.is_invalid_token() && !refreshed {
                // Renewed once, at once: DingTalk may have revoked it early.
                refreshed = true;
                continue;
            }
            let decision = match failure.transient {
                true => inner.retry.decide(attempt, &failure.error, &mut 1),
                false => Decision::GiveUp,
            };
            tracing::warn!(path, attempt, error = %failure.error, "dingbot: app robot call failed");
            failures.push(failure.error);
            match decision {
                Decision::GiveUp => return Err(give_up(failures)),
                Decision::RetryAfter(delay) => {
                    inner.clock.sleep(delay).await;
                    attempt += 1;
                }
            }
        }
    }

    /// One POST with a fresh token. A refused token is dropped from the cache first, so
    /// that the next attempt fetches another.
    async fn attempt(&self, url: &str, body: bytes::Bytes) -> Result<Value, Failure> {
        let inner = &*self.inner;
        let token = inner.tokens.get(&inner.http, &inner.clock).await?;
        let response = inner
            .http
            .post(url)
            .header(TOKEN_HEADER, token.expose())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(Failure::from_reqwest)?;
        let result = read_answer(response, &[token.expose()]).await;
        if let Err(failure) = &result {
            if failure.error.is_invalid_token() {
                inner.tokens.invalidate(&token).await;
            }
        }
        result
    }
}

/// The error after the last attempt: itself when there was one, else all of them.
fn give_up(mut failures: Vec<Error>) -> Error {
    if failures.len() == 1 {
        if let Some(only) = failures.pop() {
            return only;
        }
    }
    Error::RetriesExhausted { attempts: failures }
}
