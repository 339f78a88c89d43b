//! The preview page of `dingbot mock --ui`: what the emulated group shows, served at `/`
//! on the emulator's own port, beside the robot's endpoint, through
//! [`MockServerBuilder::fallback`]. It is built on the emulator's public API only:
//! [`MockServer::requests_from`] for the requests, [`MockServer::check`] for the paste
//! box, the robot's settings from their getters.
//!
//! The page itself (`ui/`) renders every message in the browser, from the JSON the
//! routes below answer, building the DOM with `textContent` only: a message is data and
//! can never add markup or script to the page. The Content-Security-Policy sent with it
//! allows no script but the page's own, as a second wall.
//!
//! | route | answers |
//! |---|---|
//! | `GET /` | the page |
//! | `GET /preview.js`, `GET /preview.css` | its script and style |
//! | `GET /preview/requests?after=N` | the robot's settings, the emulator's `instance` id and a page of the requests after the first `N` since the start: at most 200 and about 1 MiB, with `next` and `more` to go on, and how many the emulator dropped (`dropped`, `keep`) |
//! | `POST /preview/check` | how the robot would answer the JSON payload in the body, without posting it |
//!
//! None of these is recorded as a request to the robot. The two JSON routes answer only
//! a `Host` that is an IP address or `localhost` with the emulator's port, so that a web
//! page elsewhere cannot read them through a DNS name rebound to this machine. Every
//! answer carries `Referrer-Policy: no-referrer`: a link or image in a message never
//! learns the emulator's address.

use bytes::Bytes;
use dingbot::mock::{MockServer, MockServerBuilder, RecordedRequest};
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use serde_json::{Value, json};

const INDEX_HTML: &str = include_str!("ui/index.html");
const SCRIPT: &str = include_str!("ui/preview.js");
const STYLE: &str = include_str!("ui/preview.css");

/// No script but the page's own, no style but its own, images from anywhere (messages
/// show public images), requests only to the emulator.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src http: https: data:; connect-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// The most requests one answer of `/preview/requests` carries; `more` tells the page
/// to ask again at once for the rest.
const PAGE_SIZE: usize = 200;

/// The most bytes of requests one answer of `/preview/requests` carries (a single
/// request larger than that still comes, alone: a record holds at most 64 KiB of body).
const PAGE_BYTES: usize = 1024 * 1024;

/// How many requests are taken from the emulator at a time while a page is filled.
const CHUNK: usize = 16;

/// Adds the preview page to an emulator's settings.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), dingbot::mock::MockError> {
/// use dingbot::mock::MockServer;
/// use dingbot_cli::preview::PreviewPage;
///
/// let server = MockServer::builder().preview(true).start().await?;
/// println!("open {} in a browser", server.base_url());
/// # Ok(())
/// # }
/// ```
pub trait PreviewPage {
    /// Serves the preview page at `/` when `on`: every request in arrival order, shown as
    /// a DingTalk group shows it, updated live, with the reason for each rejection and a
    /// box to render any pasted payload. Off leaves the settings as they are.
    #[must_use]
    fn preview(self, on: bool) -> Self;
}

impl PreviewPage for MockServerBuilder {
    fn preview(self, on: bool) -> Self {
        if !on {
            return self;
        }
        let preview = Preview {
            instance: format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..)),
        };
        self.fallback(move |server, request| preview.answer(server, request))
    }
}

/// The page's state: none but its name for the emulator it shows.
struct Preview {
    /// Random, one per page: a page left open sees that the emulator behind its address
    /// was restarted.
    instance: String,
}

/// One of the preview's routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    Index,
    Script,
    Style,
    Favicon,
    Requests,
    Check,
    Subset,
}

/// The preview route for a request, if it is one.
fn route(method: &Method, path: &str) -> Option<Page> {
    match (method, path) {
        (&Method::GET, "/") => Some(Page::Index),
        (&Method::GET, "/preview.js") => Some(Page::Script),
        (&Method::GET, "/preview.css") => Some(Page::Style),
        (&Method::GET, "/favicon.ico") => Some(Page::Favicon),
        (&Method::GET, "/preview/requests") => Some(Page::Requests),
        (&Method::POST, "/preview/check") => Some(Page::Check),
        (&Method::GET, "/preview/subset") => Some(Page::Subset),
        _ => None,
    }
}

impl Preview {
    /// The answer to a request for one of the preview's routes; `None` for any other.
    fn answer(&self, server: &MockServer, request: &Request<Bytes>) -> Option<Response<Bytes>> {
        let page = route(request.method(), request.uri().path())?;
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        Some(self.serve(server, page, host, request.uri().query(), request.body()))
    }

    /// Answers a preview route.
    fn serve(
        &self,
        server: &MockServer,
        page: Page,
        host: Option<&str>,
        query: Option<&str>,
        body: &[u8],
    ) -> Response<Bytes> {
        let mut res = match page {
            Page::Requests | Page::Check if !local_host(host, server.addr().port()) => response(
                StatusCode::FORBIDDEN,
                "text/plain; charset=utf-8",
                "the preview answers only requests addressed to an IP address or localhost \
             with the emulator's port: open the page by its address, not another name"
                    .to_owned(),
            ),
            Page::Index => response(
                StatusCode::OK,
                "text/html; charset=utf-8",
                INDEX_HTML.to_owned(),
            ),
            Page::Script => response(
                StatusCode::OK,
                "text/javascript; charset=utf-8",
                SCRIPT.to_owned(),
            ),
            Page::Style => response(StatusCode::OK, "text/css; charset=utf-8", STYLE.to_owned()),
            Page::Favicon => response(StatusCode::NO_CONTENT, "text/plain", String::new()),
            Page::Requests => json_response(self.requests_after(server, after_param(query))),
            Page::Check => json_response(check(server, body)),
            Page::Subset => json_response(subset()),
        };
        let headers = res.headers_mut();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        res
    }
}

/// DingTalk's markdown subset as the library states it ([`dingbot::markdown::subset`]):
/// the page says what will show as text, and which links open, from these facts.
fn subset() -> Value {
    use dingbot::markdown::subset::{CONSTRUCTS, LINK_SCHEMES};
    let constructs: Vec<Value> = CONSTRUCTS
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name,
                "example": c.example,
                "rendered": c.rendered,
                "instead": c.instead,
            })
        })
        .collect();
    serde_json::json!({ "constructs": constructs, "linkSchemes": LINK_SCHEMES })
}

/// Whether a `Host` header names this machine by address or as `localhost`, with
/// `port`. A DNS name could be rebound to 127.0.0.1 by a page elsewhere; an IP literal
/// cannot.
fn local_host(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else { return false };
    let Some((name, host_port)) = host.rsplit_once(':') else {
        return false;
    };
    if host_port.parse::<u16>().ok() != Some(port) {
        return false;
    }
    let name = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok()
}

/// A response with a status, a content type and a text body.
fn response(status: StatusCode, content_type: &'static str, body: String) -> Response<Bytes> {
    let mut res = Response::new(Bytes::from(body));
    *res.status_mut() = status;
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

fn json_response(value: Value) -> Response<Bytes> {
    response(
        StatusCode::OK,
        "application/json; charset=utf-8",
        value.to_string(),
    )
}

/// The `after` parameter of the query; 0 when it is missing or not a number.
fn after_param(query: Option<&str>) -> u64 {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(key, _)| key == "after")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0)
}

impl Preview {
    /// The robot's settings and the requests after the first `after`, with `next`: the
    /// `after` to ask with next time, never beyond the requests recorded, and
    /// `instance`: when either goes back or changes, the emulator was restarted and the
    /// page starts over.
    ///
    /// A page is bounded in count ([`PAGE_SIZE`]) and size ([`PAGE_BYTES`]); requests
    /// the emulator dropped before they were asked for are skipped (the first `index`
    /// is then beyond `after`).
    fn requests_after(&self, server: &MockServer, after: u64) -> Value {
        let started = server.started();
        let mut requests: Vec<Value> = Vec::new();
        let mut bytes = 0usize;
        let mut next = after;
        let (total, dropped) = 'fill: loop {
            let chunk = server.requests_from(next, CHUNK.min(PAGE_SIZE - requests.len()));
            next = chunk.first;
            for (request, index) in chunk.requests.iter().zip(chunk.first..) {
                let shown = view(started, index, request);
                let size = shown.to_string().len();
                if !requests.is_empty() && bytes + size > PAGE_BYTES {
                    break 'fill (chunk.total, chunk.dropped);
                }
                bytes += size;
                requests.push(shown);
                next = index + 1;
                if requests.len() == PAGE_SIZE {
                    break 'fill (chunk.total, chunk.dropped);
                }
            }
            if !chunk.more() || chunk.requests.is_empty() {
                break (chunk.total, chunk.dropped);
            }
        };
        json!({
            "robot": {
                "signed": server.secret().is_some(),
                "keywords": server.keywords(),
                "allowed_ips": server.allowed_ips().iter().map(ToString::to_string).collect::<Vec<_>>(),
                "rate_limit": server.rate_limit().map(|r| json!({ "max": r.limit(), "per_ms": r.per().as_millis() as u64 })),
            },
            "instance": self.instance,
            "next": next,
            "more": next < total,
            "keep": server.keep(),
            "dropped": dropped,
            "requests": requests,
        })
    }
}

/// One request as the page shows it. The query (access token, signature) is left out.
fn view(started: std::time::Instant, index: u64, request: &RecordedRequest) -> Value {
    let (payload, body) = request.body_json_or_text();
    let payload = payload.map(as_webhook_message);
    let elapsed = request.at.saturating_duration_since(started);
    json!({
        "index": index,
        "elapsed_ms": elapsed.as_millis() as u64,
        "method": request.method,
        "path": request.path,
        "http_status": request.http_status,
        "errcode": request.errcode,
        "errmsg": request.errmsg,
        "accepted": request.accepted,
        "duplicate": request.duplicate,
        "reason": request.reason,
        "fault": request.fault.as_ref().map(|fault| format!("{fault:?}")),
        "payload": payload,
        "body": body,
        "body_len": request.body_len,
        "body_cut": request.body_cut(),
    })
}

/// An app robot's message (`msgKey` and the `msgParam` string) as the webhook message
/// that shows the same, so the page renders both alike; anything else as it is.
fn as_webhook_message(payload: Value) -> Value {
    let decoded = match (payload.get("msgKey"), payload.get("msgParam")) {
        (Some(Value::String(key)), Some(Value::String(param))) => {
            dingbot::AppMessage::decode(key, param)
        }
        _ => None,
    };
    decoded
        .and_then(|message| serde_json::to_value(message).ok())
        .unwrap_or(payload)
}

/// How the robot would judge a pasted payload on its content alone: size, JSON,
/// msgtype, required fields, keywords. Signature, IP and rate are not in a payload.
fn check(server: &MockServer, body: &[u8]) -> Value {
    let payload = serde_json::from_slice::<Value>(body).unwrap_or(Value::Null);
    let verdict = server.check(body);
    json!({
        "errcode": verdict.errcode,
        "errmsg": verdict.errmsg,
        "reason": verdict.reason,
        "payload": payload,
    })
}
