//! The preview page: what the emulated group shows, served at `/` when
//! [`MockServerBuilder::preview`](super::MockServerBuilder::preview) is on.
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
//! | `GET /preview/requests?after=N` | the robot's settings, the emulator's `instance` id and the requests after the first `N` since the start |
//! | `POST /preview/check` | how the robot would answer the JSON payload in the body, without posting it |
//!
//! None of these is recorded as a request to the robot. The two JSON routes answer only
//! a `Host` that is an IP address or `localhost` with the emulator's port, so that a web
//! page elsewhere cannot read them through a DNS name rebound to this machine. Every
//! answer carries `Referrer-Policy: no-referrer`: a link or image in a message never
//! learns the emulator's address.

use axum::body::Body;
use axum::http::{HeaderValue, Method, Response, StatusCode, header};
use serde_json::{Value, json};

use super::RecordedRequest;
use super::answer::response;
use super::server::Shared;

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

/// One of the preview's routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Page {
    Index,
    Script,
    Style,
    Favicon,
    Requests,
    Check,
}

/// The preview route for a request, if it is one.
pub(crate) fn route(method: &Method, path: &str) -> Option<Page> {
    match (method, path) {
        (&Method::GET, "/") => Some(Page::Index),
        (&Method::GET, "/preview.js") => Some(Page::Script),
        (&Method::GET, "/preview.css") => Some(Page::Style),
        (&Method::GET, "/favicon.ico") => Some(Page::Favicon),
        (&Method::GET, "/preview/requests") => Some(Page::Requests),
        (&Method::POST, "/preview/check") => Some(Page::Check),
        _ => None,
    }
}

/// Answers a preview route.
pub(crate) fn serve(
    shared: &Shared,
    page: Page,
    host: Option<&str>,
    query: Option<&str>,
    body: &[u8],
) -> Response<Body> {
    let mut res = match page {
        Page::Requests | Page::Check if !local_host(host, shared.addr.port()) => response(
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
        Page::Requests => json_response(requests_after(shared, after_param(query))),
        Page::Check => json_response(check(shared, body)),
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

fn json_response(value: Value) -> Response<Body> {
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

/// The robot's settings and the requests after the first `after`, with `next`: the
/// `after` to ask with next time, never beyond the requests recorded, and `instance`:
/// when either goes back or changes, the emulator was restarted or reset and the page
/// starts over.
fn requests_after(shared: &Shared, after: u64) -> Value {
    // Copied under the lock, rendered after it: the robot's requests do not wait on the
    // page.
    let (first, recorded, total): (u64, Vec<RecordedRequest>, u64) = {
        let state = shared.lock();
        let after = after.min(state.total);
        let first = after.max(state.first_kept());
        let recorded = state
            .requests_after(after)
            .iter()
            .take(PAGE_SIZE)
            .cloned()
            .collect();
        (first, recorded, state.total)
    };
    let requests: Vec<Value> = recorded
        .iter()
        .zip(first..)
        .map(|(request, index)| view(shared, index, request))
        .collect();
    let next = first + requests.len() as u64;
    let config = &shared.config;
    json!({
        "robot": {
            "signed": config.secret.is_some(),
            "keywords": config.keywords,
            "allowed_ips": config.allowed_ips.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "rate_limit": config.rate_limit.map(|r| json!({ "max": r.max, "per_ms": r.per.as_millis() as u64 })),
        },
        "instance": shared.instance,
        "next": next,
        "more": next < total,
        "requests": requests,
    })
}

/// One request as the page shows it. The query (access token, signature) is left out.
fn view(shared: &Shared, index: u64, request: &RecordedRequest) -> Value {
    let (payload, body) = request.body_json_or_text();
    let elapsed = request.at.saturating_duration_since(shared.started);
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
    })
}

/// How the robot would judge a pasted payload on its content alone: size, JSON,
/// msgtype, required fields, keywords. Signature, IP and rate are not in a payload.
fn check(shared: &Shared, body: &[u8]) -> Value {
    let payload = serde_json::from_slice::<Value>(body).unwrap_or(Value::Null);
    match shared.config.check_content(body, false) {
        Ok(_) => json!({ "errcode": 0, "errmsg": "ok", "reason": null, "payload": payload }),
        Err(rejection) => json!({
            "errcode": rejection.errcode(),
            "errmsg": rejection.errmsg(shared.config.style),
            "reason": rejection.plain_words(),
            "payload": payload,
        }),
    }
}
