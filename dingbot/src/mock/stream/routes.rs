//! The Stream side's HTTP routes: opening a connection, the session webhooks, `/mock/say`
//! and the faults. Each request is recorded like every other (the app secret in an open
//! request masked).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Instant;

use bytes::Bytes;
use http::{Method, Response, StatusCode, header, request::Parts};

use super::hub::{Command, Hub};
use super::say::{Say, deliver};
use crate::mock::answer::{json_answer, response};
use crate::mock::parse::{msg_uuid_of, parse};
use crate::mock::record::RecordedRequest;
use crate::mock::shared::Shared;

/// The path of the session webhooks.
pub(crate) const SESSION_PATH: &str = "/robot/sendBySession";

/// Answers a request to one of the Stream side's paths; `None` for other paths.
pub(crate) fn route(
    shared: &Shared,
    parts: &Parts,
    body: &[u8],
    peer: SocketAddr,
    at: Instant,
) -> Option<Response<Bytes>> {
    let hub = shared.stream.as_ref()?;
    let path = parts.uri.path();
    let known = matches!(
        path,
        "/v1.0/gateway/connections/open"
            | SESSION_PATH
            | "/mock/say"
            | "/mock/stream/drop"
            | "/mock/stream/disconnect"
            | "/mock/stream/mute"
    );
    if !known {
        return None;
    }
    let mut record = RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: path.to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        msg_uuid: msg_uuid_of(body),
        body: body.to_vec(),
        body_len: body.len() as u64,
        http_status: Some(200),
        errcode: None,
        errmsg: None,
        reason: None,
        fault: None,
        accepted: false,
        duplicate: false,
        peer,
        at,
    };
    let answer = if parts.method != Method::POST {
        record.reason = Some(format!("{path} takes POST"));
        plain(StatusCode::METHOD_NOT_ALLOWED, "405 Method Not Allowed")
    } else {
        match path {
            "/v1.0/gateway/connections/open" => open(shared, hub, parts, body, &mut record, at),
            SESSION_PATH => session(shared, hub, body, &mut record),
            "/mock/say" => say(shared, hub, body, &mut record),
            fault => {
                let command: fn() -> Command = match fault {
                    "/mock/stream/drop" => || Command::Drop,
                    "/mock/stream/disconnect" => || Command::Disconnect,
                    _ => || Command::Mute,
                };
                let n = hub.tell_all(command);
                json(serde_json::json!({ "sockets": n }))
            }
        }
    };
    record.http_status = Some(answer.status().as_u16());
    shared.record(record);
    Some(answer)
}

fn plain(status: StatusCode, text: &str) -> Response<Bytes> {
    response(status, "text/plain; charset=utf-8", text.to_owned())
}

fn json(value: serde_json::Value) -> Response<Bytes> {
    response(StatusCode::OK, "application/json", value.to_string())
}

/// `{"code","message"}` as the OpenAPI answers an error.
fn openapi_error(status: StatusCode, code: &str, message: &str) -> Response<Bytes> {
    let body = serde_json::json!({ "code": code, "message": message, "requestid": "mock" });
    response(status, "application/json", body.to_string())
}

#[derive(serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct OpenRequest {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    subscriptions: serde_json::Value,
}

fn open(
    shared: &Shared,
    hub: &Hub,
    parts: &Parts,
    body: &[u8],
    record: &mut RecordedRequest,
    now: Instant,
) -> Response<Bytes> {
    let Ok(mut request) = serde_json::from_slice::<OpenRequest>(body) else {
        record.body = b"(not JSON)".to_vec();
        record.reason = Some("the body is not JSON".to_owned());
        return openapi_error(StatusCode::BAD_REQUEST, "param.invalid", "body is not JSON");
    };
    let valid =
        request.client_id == hub.app.client_id && request.client_secret == hub.app.client_secret;
    request.client_secret = "***".to_owned();
    record.body = serde_json::to_vec(&request).unwrap_or_default();
    record.body_len = record.body.len() as u64;
    if !valid {
        record.reason = Some("wrong clientId or clientSecret".to_owned());
        return openapi_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthentication",
            "clientId or clientSecret is wrong",
        );
    }
    record.accepted = true;
    let ticket = hub.issue_ticket(now);
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map_or_else(|| reachable(shared.addr).to_string(), str::to_owned);
    json(serde_json::json!({ "endpoint": format!("ws://{host}/connect"), "ticket": ticket }))
}

fn session(
    shared: &Shared,
    hub: &Hub,
    body: &[u8],
    record: &mut RecordedRequest,
) -> Response<Bytes> {
    let token = record.query_param("session").unwrap_or_default();
    let now_ms = shared.config.clock.unix_ms();
    let (errcode, errmsg) = match hub.session_expiry(&token) {
        None => {
            record.reason = Some("no such session webhook".to_owned());
            (300001, "session is not exist".to_owned())
        }
        Some(expiry) if now_ms >= expiry => {
            record.reason = Some("the session webhook has expired".to_owned());
            (300001, "session is expired".to_owned())
        }
        Some(_) => match parse(body) {
            Ok(_) => {
                record.accepted = true;
                (0, "ok".to_owned())
            }
            Err(rejection) => {
                record.reason = Some(rejection.plain_words());
                (rejection.errcode(), rejection.errmsg(shared.config.style))
            }
        },
    };
    record.errcode = Some(errcode);
    record.errmsg = Some(errmsg.clone());
    json_answer(errcode, &errmsg)
}

fn say(shared: &Shared, hub: &Hub, body: &[u8], record: &mut RecordedRequest) -> Response<Bytes> {
    let Ok(said) = serde_json::from_slice::<Say>(body) else {
        record.reason = Some("the body is not the JSON of something said".to_owned());
        return plain(
            StatusCode::BAD_REQUEST,
            "expected JSON: text, senderNick, senderStaffId, conversationId, conversationType",
        );
    };
    let base = format!("http://{}/", reachable(shared.addr));
    let delivered = deliver(hub, &said, &base, shared.config.clock.unix_ms());
    record.accepted = true;
    json(serde_json::json!({ "delivered": delivered }))
}

/// The address with an unspecified IP replaced by loopback.
pub(crate) fn reachable(mut addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => addr.set_ip(Ipv4Addr::LOCALHOST.into()),
        IpAddr::V6(ip) if ip.is_unspecified() => addr.set_ip(Ipv6Addr::LOCALHOST.into()),
        _ => {}
    }
    addr
}
