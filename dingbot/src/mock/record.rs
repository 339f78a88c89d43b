//! [`RecordedRequest`]: what the emulator saw and what it answered; [`RequestPage`]: a
//! run of them.

use std::fmt;
use std::net::SocketAddr;
use std::time::Instant;

use super::faults::Fault;

/// One request that reached the emulator, whatever its fate, as listed by
/// [`MockServer::requests`](super::MockServer::requests).
///
/// `Debug` masks the `access_token` and `sign` values of the query.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use dingbot::{Robot, Text};
/// use dingbot::mock::MockServer;
///
/// let server = MockServer::start().await?;
/// Robot::new(&server.webhook_url())?.send(&Text::new("hello")).await?;
///
/// let requests = server.requests();
/// let first = &requests[0];
/// assert_eq!(first.method, "POST");
/// assert_eq!(first.errcode, Some(0));
/// assert!(first.accepted && !first.duplicate);
/// assert!(first.msg_uuid.is_some());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `"POST"`.
    pub method: String,
    /// The path, e.g. `"/robot/send"`.
    pub path: String,
    /// The query string exactly as sent (it holds the access token and, when signed,
    /// `timestamp` and the URL-encoded `sign`).
    pub query: String,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The request body, or its first [`MAX_RECORDED_BODY`](super::MAX_RECORDED_BODY) bytes when it is longer
    /// ([`body_cut`](Self::body_cut)).
    pub body: Vec<u8>,
    /// The body's full length as sent (the emulator reads at most 64 MiB of a body, then
    /// stops reading: a longer one shows as 64 MiB and a little more).
    pub body_len: u64,
    /// The body's `msgUuid`, if it is JSON with a string `msgUuid`.
    pub msg_uuid: Option<String>,
    /// The HTTP status answered; `None` when the connection was dropped without an answer
    /// ([`Fault::DropConnection`]).
    pub http_status: Option<u16>,
    /// The `errcode` of the JSON answer: `Some(0)` on success, DingTalk's code on a
    /// rejection, the fault's code for [`Fault::Errcode`]; `None` when the answer was not
    /// DingTalk's JSON (404, or a fault that answered with a status, a page or nothing).
    pub errcode: Option<i64>,
    /// The `errmsg` of the JSON answer, with the same rules as `errcode`.
    pub errmsg: Option<String>,
    /// What was wrong, in plain words with what to do, when the request was rejected
    /// (errcode other than 0, or an HTTP error); `None` when it was accepted.
    pub reason: Option<String>,
    /// The injected fault that shaped the answer, if any.
    pub fault: Option<Fault>,
    /// Whether the message was accepted and recorded in
    /// [`received`](super::MockServer::received) by this request.
    pub accepted: bool,
    /// Whether the request repeated the `msgUuid` of a message already accepted: it was
    /// answered errcode 0 but not posted again.
    pub duplicate: bool,
    /// The client's address.
    pub peer: SocketAddr,
    /// When the request arrived, on the server's [`Clock`](crate::clock::Clock).
    pub at: Instant,
}

impl RecordedRequest {
    /// Whether [`body`](Self::body) is only the first part of the body sent: it was
    /// longer than [`MAX_RECORDED_BODY`](super::MAX_RECORDED_BODY), [`body_len`](Self::body_len) bytes.
    pub fn body_cut(&self) -> bool {
        (self.body.len() as u64) < self.body_len
    }

    /// The body as text (lossily decoded).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as DingTalk's JSON, or — when it is not JSON — as text; both `None` for
    /// an empty body. What a log line or a page shows of a request.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use dingbot::mock::MockServer;
    /// use dingbot::{Robot, Text};
    ///
    /// let server = MockServer::start().await?;
    /// Robot::new(&server.webhook_url())?.send(&Text::new("hello")).await?;
    /// let (json, text) = server.requests()[0].body_json_or_text();
    /// assert_eq!(json.unwrap()["text"]["content"], "hello");
    /// assert_eq!(text, None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn body_json_or_text(&self) -> (Option<serde_json::Value>, Option<String>) {
        match serde_json::from_slice(&self.body) {
            Ok(value) => (Some(value), None),
            Err(_) if self.body.is_empty() => (None, None),
            Err(_) => (None, Some(self.body_text())),
        }
    }

    /// The value of a query parameter, decoded once (as DingTalk decodes it).
    pub fn query_param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &masked_query(&self.query))
            .field("content_type", &self.content_type)
            .field("body", &self.body_text())
            .field("body_len", &self.body_len)
            .field("msg_uuid", &self.msg_uuid)
            .field("http_status", &self.http_status)
            .field("errcode", &self.errcode)
            .field("errmsg", &self.errmsg)
            .field("reason", &self.reason)
            .field("fault", &self.fault)
            .field("accepted", &self.accepted)
            .field("duplicate", &self.duplicate)
            .field("peer", &self.peer)
            .field("at", &self.at)
            .finish()
    }
}

/// A run of the requests an emulator recorded, from
/// [`MockServer::requests_from`](super::MockServer::requests_from), for going through
/// them a page at a time (a page in a browser, a log shipped in batches).
///
/// Requests are numbered from 0 in arrival order since the emulator started; a
/// [`reset`](super::MockServer::reset) forgets requests but does not restart the count,
/// so a number always means the same request. The emulator keeps only the last
/// [`keep`](super::MockServerBuilder::keep) requests: asked for an older number, a page
/// starts at the oldest one kept, and [`dropped`](Self::dropped) counts those gone.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RequestPage {
    /// The number of the first request of [`requests`](Self::requests); when there are
    /// none, the number the next request will get, or the number asked for if it is
    /// lower.
    pub first: u64,
    /// The requests, in order.
    pub requests: Vec<RecordedRequest>,
    /// How many requests were recorded since the start, forgotten ones included: the
    /// number the next one will get.
    pub total: u64,
    /// How many requests the emulator dropped since the start to keep only the last
    /// [`keep`](super::MockServerBuilder::keep) ([`MockServer::dropped`]).
    ///
    /// [`MockServer::dropped`]: super::MockServer::dropped
    pub dropped: u64,
}

impl RequestPage {
    /// The number to ask for next to go on where this page ends.
    pub fn next(&self) -> u64 {
        self.first + self.requests.len() as u64
    }

    /// Whether requests were recorded beyond this page.
    pub fn more(&self) -> bool {
        self.next() < self.total
    }
}

/// The query with the values of `access_token` and `sign` replaced by `***`.
fn masked_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key == "access_token" || key == "sign" => format!("{key}=***"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_token_and_sign() {
        assert_eq!(
            masked_query("access_token=abc&timestamp=1&sign=x%2By"),
            "access_token=***&timestamp=1&sign=***"
        );
        assert_eq!(masked_query(""), "");
    }
}
