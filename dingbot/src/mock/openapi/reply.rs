//! The OpenAPI's answers: a JSON body on success, and on failure an HTTP 4xx/5xx with
//! DingTalk's `{"code", "message", "requestid"}`.

use bytes::Bytes;
use http::{Response, StatusCode};
use serde_json::{Value, json};

use crate::mock::answer::response;

/// A refusal: the HTTP status, DingTalk's `code` and `message`, and what to do, in plain
/// words, for the record.
pub(crate) struct Refusal {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) reason: String,
}

impl Refusal {
    /// HTTP 400 `param.invalid`.
    pub(crate) fn param(message: impl Into<String>, reason: impl Into<String>) -> Refusal {
        Refusal {
            status: StatusCode::BAD_REQUEST,
            code: "param.invalid",
            message: message.into(),
            reason: reason.into(),
        }
    }

    /// HTTP 401 `InvalidAuthentication`: no token, or one not issued or expired.
    pub(crate) fn token(reason: impl Into<String>) -> Refusal {
        Refusal {
            status: StatusCode::UNAUTHORIZED,
            code: "InvalidAuthentication",
            message: "不合法的access_token".into(),
            reason: reason.into(),
        }
    }

    /// The answer, with a fresh `requestid`.
    pub(crate) fn answer(&self) -> Response<Bytes> {
        let body = json!({
            "code": self.code,
            "message": self.message,
            "requestid": format!("{:016X}", fastrand::u64(..)),
        });
        json_response(self.status, &body)
    }
}

/// A JSON answer with this status.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response<Bytes> {
    response(status, "application/json;charset=utf-8", body.to_string())
}
