//! [`Outgoing`], an axum extractor for verified Outgoing callbacks.
//!
//! ```no_run
//! use axum::{Router, routing::post};
//! use dingbot::outgoing::axum::{Outgoing, OutgoingSecret};
//!
//! async fn on_message(Outgoing(msg): Outgoing) -> &'static str {
//!     println!("{} wrote {}", msg.sender_nick, msg.text());
//!     ""
//! }
//!
//! let app: Router = Router::new()
//!     .route("/dingtalk", post(on_message))
//!     .with_state(OutgoingSecret::new("app-secret"));
//! ```

use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{OutgoingError, verify_outgoing};
use crate::incoming::IncomingMessage;
use crate::redacted::Redacted;

/// The app secret callbacks are verified with: the router's state, or a part of it
/// (through [`FromRef`]).
#[derive(Clone, Debug)]
pub struct OutgoingSecret(Redacted);

impl OutgoingSecret {
    /// The app's secret (its `AppSecret`, the Stream client's `clientSecret`).
    pub fn new(secret: impl Into<Redacted>) -> OutgoingSecret {
        OutgoingSecret(secret.into())
    }
}

/// A callback whose signature and timestamp were checked, read as an
/// [`IncomingMessage`]. Refused callbacks are answered 401 (signature, timestamp) or 400
/// (a body that is not the message JSON) and never reach the handler.
#[derive(Clone, Debug)]
pub struct Outgoing(pub IncomingMessage);

/// Why [`Outgoing`] refused a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutgoingRejection {
    /// The signature or timestamp was refused.
    #[error(transparent)]
    Unverified(#[from] OutgoingError),
    /// The body could not be read, or is not the message JSON.
    #[error("the callback's body is not DingTalk's message JSON: {0}")]
    BadBody(String),
}

impl IntoResponse for OutgoingRejection {
    fn into_response(self) -> Response {
        let status = match self {
            OutgoingRejection::Unverified(_) => StatusCode::UNAUTHORIZED,
            OutgoingRejection::BadBody(_) => StatusCode::BAD_REQUEST,
        };
        (status, self.to_string()).into_response()
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, OutgoingError> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .ok_or(OutgoingError::MissingHeader(name))
}

impl<S> FromRequest<S> for Outgoing
where
    S: Send + Sync,
    OutgoingSecret: FromRef<S>,
{
    type Rejection = OutgoingRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let secret = OutgoingSecret::from_ref(state);
        let headers = req.headers().clone();
        let timestamp = header(&headers, "timestamp")?;
        let sign = header(&headers, "sign")?;
        verify_outgoing(secret.0.expose(), timestamp, sign, SystemTime::now())?;
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| OutgoingRejection::BadBody(e.to_string()))?;
        let msg =
            serde_json::from_slice(&body).map_err(|e| OutgoingRejection::BadBody(e.to_string()))?;
        Ok(Outgoing(msg))
    }
}
