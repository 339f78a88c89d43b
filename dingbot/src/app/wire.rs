//! One OpenAPI answer read: a 2xx's JSON, or DingTalk's `{"code", "message"}` as an
//! [`Error`], with whether asking again is safe ([`Failure::transient`]).
//!
//! The OpenAPI has no idempotency key (no `msgUuid`), so a send is asked again only when
//! its failure says nothing was posted: the connection could not be made, the flow
//! control refused it, or a gateway answered 502/503/504. A timeout or a connection
//! broken after the request was written may have posted the message: not retried.

use serde::Deserialize;
use serde_json::Value;

use crate::error::Error;

/// A failed attempt: the error, and whether it is safe and useful to ask again.
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) transient: bool,
}

impl Failure {
    /// A transport failure: transient only when no connection was made.
    pub(crate) fn from_reqwest(err: reqwest::Error) -> Failure {
        let transient = err.is_connect();
        Failure {
            error: Error::from_reqwest(err),
            transient,
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure {
            error,
            transient: false,
        }
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// The answer's JSON when its status is 2xx; else DingTalk's error, with every string
/// of `secrets` masked in its text.
pub(crate) async fn read_answer(
    response: reqwest::Response,
    secrets: &[&str],
) -> Result<Value, Failure> {
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(Failure::from_reqwest)?;
    let redact = |text: String| {
        secrets
            .iter()
            .filter(|s| !s.is_empty())
            .fold(text, |text, s| text.replace(s, "***"))
    };
    if (200..300).contains(&status) {
        return serde_json::from_slice(&body).map_err(|_| {
            Failure::from(Error::InvalidResponse {
                status,
                snippet: redact(String::from_utf8_lossy(&body[..body.len().min(200)]).into()),
            })
        });
    }
    let gateway = matches!(status, 502..=504);
    match serde_json::from_slice::<ErrorBody>(&body) {
        Ok(answer) if !answer.code.is_empty() => {
            let error = Error::from_openapi(status, answer.code, redact(answer.message));
            let transient = gateway || matches!(error, Error::AppFlowControlled { .. });
            Err(Failure { error, transient })
        }
        _ => Err(Failure {
            error: Error::HttpStatus { status },
            transient: gateway || status == 429,
        }),
    }
}
