//! [`Fault`]: the ways DingTalk and the gateways in front of it misbehave, on demand.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};

use super::answer::{json_answer, response};

/// A misbehaviour the emulator shows instead of (or on top of) its normal answer.
///
/// Queue faults with [`MockServer::inject`](super::MockServer::inject): each request to
/// the robot endpoint takes the next one, in order, before any of DingTalk's rules is
/// checked.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), dingbot::mock::MockError> {
/// use std::time::Duration;
/// use dingbot::mock::{Fault, MockServer};
///
/// let server = MockServer::start().await?;
/// server.inject(Fault::Status(503), 2);
/// server.inject(Fault::Errcode(-1, "系统繁忙".into()), 1);
/// server.inject(Fault::Delay(Duration::from_millis(50)), 1);
/// assert_eq!(server.pending_faults(), 4);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this HTTP status and a short plain-text body (an invalid status
    /// becomes 500).
    Status(u16),
    /// Answer HTTP 200 with `{"errcode": code, "errmsg": errmsg}`, e.g. `-1` "系统繁忙".
    Errcode(i64, String),
    /// Close the connection without sending any HTTP response.
    DropConnection,
    /// Handle the request normally, but wait this long (real, wall-clock time) before
    /// sending the answer — to make a client time out. The request is processed before
    /// the wait, as a slow DingTalk would: a message it accepts is posted even if the
    /// client has given up, so a retry with the same `msgUuid` is a duplicate.
    Delay(Duration),
    /// Answer HTTP 502 with a gateway's HTML error page (not JSON).
    Html,
    /// Answer HTTP 302, redirecting to another page of the emulator (which answers 404).
    Redirect,
}

/// The gateway page behind [`Fault::Html`].
const GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n";

/// Where [`Fault::Redirect`] points: a path the emulator does not serve.
pub(crate) const REDIRECT_PATH: &str = "/maintenance";

/// What a fault does to the request that takes it.
pub(crate) enum Effect {
    /// Close the connection without answering.
    Drop,
    /// Answer normally, this much later.
    Delay(Duration),
    /// Answer this instead of DingTalk, with the `errcode` and `errmsg` of the answer if
    /// it is DingTalk's JSON.
    Answer(Response<Bytes>, Option<(i64, String)>),
}

impl Fault {
    /// What the injected fault did, in plain words; `None` for [`Fault::Delay`], after
    /// which the request is judged as usual.
    pub(crate) fn plain_words(&self) -> Option<String> {
        Some(match self {
            Fault::Status(code) => {
                format!("injected fault: answered HTTP {code} instead of DingTalk's JSON")
            }
            Fault::Errcode(code, _) => format!("injected fault: answered errcode {code}"),
            Fault::DropConnection => "injected fault: closed the connection unanswered".into(),
            Fault::Delay(_) => return None,
            Fault::Html => "injected fault: answered a gateway's HTML error page".into(),
            Fault::Redirect => "injected fault: answered a redirect (HTTP 302)".into(),
        })
    }

    /// What this fault does, on a server listening at `addr`.
    pub(crate) fn effect(&self, addr: SocketAddr) -> Effect {
        match self {
            Fault::DropConnection => Effect::Drop,
            Fault::Delay(delay) => Effect::Delay(*delay),
            Fault::Status(code) => {
                let status =
                    StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let text = format!(
                    "{} {}",
                    status.as_str(),
                    status.canonical_reason().unwrap_or("Error")
                );
                Effect::Answer(response(status, "text/plain; charset=utf-8", text), None)
            }
            Fault::Errcode(code, errmsg) => {
                Effect::Answer(json_answer(*code, errmsg), Some((*code, errmsg.clone())))
            }
            Fault::Html => Effect::Answer(
                response(
                    StatusCode::BAD_GATEWAY,
                    "text/html; charset=utf-8",
                    GATEWAY_PAGE.to_owned(),
                ),
                None,
            ),
            Fault::Redirect => {
                let location = format!("http://{addr}{REDIRECT_PATH}");
                let mut res = response(
                    StatusCode::FOUND,
                    "text/html; charset=utf-8",
                    format!(
                        "<html><body>Moved to <a href=\"{location}\">{location}</a></body></html>"
                    ),
                );
                if let Ok(value) = HeaderValue::from_str(&location) {
                    res.headers_mut().insert(header::LOCATION, value);
                }
                Effect::Answer(res, None)
            }
        }
    }
}
