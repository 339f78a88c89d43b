//! One request: read, judged by the faults and the rules, recorded, answered.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response, StatusCode, header};
use hyper::body::Body as _;
use tokio::sync::Notify;

use super::answer::{json_answer, response};
use super::conn::Activity;
use super::errmsg::Rejection;
use super::faults::Effect;
use super::limits::MAX_RECORDED_BODY;
use super::parse::msg_uuid_of;
use super::record::RecordedRequest;
use super::rules::{Config, Incoming};
use super::shared::{ENDPOINT_PATH, Fallback, Shared};
use super::state::Admission;
use super::stream;

/// The most the emulator holds of a body while it answers (what the application's routes
/// get); the rest is read and thrown away, so that even a huge body gets DingTalk's "too
/// big" answer rather than a reset connection. A record keeps less
/// ([`MAX_RECORDED_BODY`]).
const KEEP_LIMIT: usize = 1024 * 1024;

/// The most the emulator reads of a body before giving up on it.
const READ_LIMIT: usize = 64 * 1024 * 1024;

/// One request: read it whole; to another path than the robot's, ask the application's
/// routes, else record it and answer 404; to the robot's, take the next fault, apply the
/// rules, record, answer.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    fallback: Option<Fallback>,
    peer: SocketAddr,
    drop_connection: Arc<Notify>,
    activity: Arc<Activity>,
    mut req: Request<hyper::body::Incoming>,
) -> Response<Bytes> {
    let at = shared.config.clock.now();
    if let Some(answer) = stream::upgrade(&shared, &mut req, peer, at) {
        return answer;
    }
    let (parts, body) = req.into_parts();
    let (body, body_len, unreadable_body) = read_body(body).await;
    activity.body_read();
    if let Some(answer) = super::openapi::serve::serve(&shared, &parts, &body, body_len, peer, at) {
        return answer;
    }
    if let Some(answer) = stream::route(&shared, &parts, &body, peer, at) {
        return answer;
    }
    let (parts, body) = match fallback {
        Some(fallback) if parts.uri.path() != ENDPOINT_PATH => {
            let request = Request::from_parts(parts, Bytes::from(body));
            if let Some(answer) = fallback(&request) {
                return answer;
            }
            let (parts, body) = request.into_parts();
            (parts, Vec::from(body))
        }
        _ => (parts, body),
    };
    // The record keeps an excerpt (allocated anew: a truncated Vec would keep its
    // capacity). DingTalk's rules need no more: a body beyond its limit is refused on its
    // length, and the excerpt is over that limit too.
    let body = match body.get(..MAX_RECORDED_BODY) {
        Some(excerpt) if body.len() > MAX_RECORDED_BODY => excerpt.to_vec(),
        _ => body,
    };
    let mut record = RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        msg_uuid: msg_uuid_of(&body),
        body,
        body_len,
        http_status: None,
        errcode: None,
        errmsg: None,
        reason: None,
        fault: None,
        accepted: false,
        duplicate: false,
        peer,
        at,
    };

    if record.path != ENDPOINT_PATH {
        record.http_status = Some(StatusCode::NOT_FOUND.as_u16());
        record.reason = Some(format!(
            "not the robot's endpoint: DingTalk's robots are at POST {ENDPOINT_PATH}"
        ));
        shared.record(record);
        return response(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "404 Not Found".to_owned(),
        );
    }

    let fault = shared.lock().faults.pop_front();
    let Some(fault) = fault else {
        return apply_rules(&shared, record, unreadable_body);
    };
    let effect = fault.effect(shared.addr);
    record.reason = fault.plain_words();
    record.fault = Some(fault);
    match effect {
        Effect::Drop => {
            shared.record(record);
            drop_connection.notify_one();
            // The connection task drops this future along with the connection.
            std::future::pending().await
        }
        Effect::Delay(delay) => {
            let res = apply_rules(&shared, record, unreadable_body);
            tokio::time::sleep(delay).await;
            res
        }
        Effect::Answer(res, json) => {
            record.http_status = Some(res.status().as_u16());
            if let Some((errcode, errmsg)) = json {
                record.errcode = Some(errcode);
                record.errmsg = Some(errmsg);
            }
            shared.record(record);
            res
        }
    }
}

/// Reads a request body, keeping at most [`KEEP_LIMIT`] bytes of it; with its length
/// as read, and a flag that says the body was not kept whole: too large, or broken off.
async fn read_body(mut body: hyper::body::Incoming) -> (Vec<u8>, u64, bool) {
    let mut kept = Vec::new();
    let mut total = 0usize;
    loop {
        match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            None => return (kept, total as u64, total > KEEP_LIMIT),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    total = total.saturating_add(data.len());
                    if total <= KEEP_LIMIT {
                        kept.extend_from_slice(&data);
                    } else if total > READ_LIMIT {
                        return (kept, total as u64, true);
                    }
                }
            }
            Some(Err(_)) => return (kept, total as u64, true),
        }
    }
}

/// DingTalk's rules for one request to the endpoint; records it and builds the answer.
fn apply_rules(
    shared: &Shared,
    mut record: RecordedRequest,
    unreadable_body: bool,
) -> Response<Bytes> {
    let config = &shared.config;
    let checked = config.check(&Incoming {
        method: &record.method,
        query: &record.query,
        peer: record.peer.ip(),
        body: &record.body,
        unreadable_body,
    });
    let mut state = shared.lock();
    let outcome = checked.and_then(|valid| state.admit(config, valid, config.clock.now()));
    let (errcode, errmsg) = match outcome {
        Ok(admission) => {
            record.accepted = matches!(admission, Admission::Accepted);
            record.duplicate = matches!(admission, Admission::Duplicate);
            (0, "ok".to_owned())
        }
        Err(rejection) => {
            record.reason = Some(rejection.plain_words());
            answer_of(&rejection, config)
        }
    };
    record.http_status = Some(StatusCode::OK.as_u16());
    record.errcode = Some(errcode);
    record.errmsg = Some(errmsg.clone());
    let total = state.push_request(record);
    drop(state);
    shared.recorded.send_replace(total);
    json_answer(errcode, &errmsg)
}

fn answer_of(rejection: &Rejection, config: &Config) -> (i64, String) {
    (rejection.errcode(), rejection.errmsg(config.style))
}
