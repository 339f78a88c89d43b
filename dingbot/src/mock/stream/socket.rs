//! The Stream WebSocket: the upgrade of `GET /connect?ticket=…` (a ticket opens one
//! socket), then the frames: pings every so often, robot messages, acknowledgements read,
//! the faults obeyed.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http::{Request, Response, StatusCode, header};
use hyper_util::rt::TokioIo;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::Role;

use super::hub::{Command, Hub};
use crate::frame::{Ack, Frame, Headers};
use crate::mock::answer::response;
use crate::mock::record::RecordedRequest;
use crate::mock::shared::Shared;

/// How long after `disconnect` the server closes the socket itself.
const DISCONNECT_GRACE: Duration = Duration::from_secs(10);

/// Upgrades a WebSocket request to `/connect` with a valid ticket; `None` for any other
/// request.
/// The most Stream sockets open at once (DingTalk too bounds an app's connections).
pub(crate) const MAX_SOCKETS: usize = 64;

pub(crate) fn upgrade(
    shared: &Arc<Shared>,
    req: &mut Request<hyper::body::Incoming>,
    peer: SocketAddr,
    at: Instant,
) -> Option<Response<Bytes>> {
    shared.stream.as_ref()?;
    if req.uri().path() != "/connect" {
        return None;
    }
    let key = req.headers().get(header::SEC_WEBSOCKET_KEY).cloned();
    let ticket = url::form_urlencoded::parse(req.uri().query().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "ticket")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let hub = shared.stream.as_ref()?;
    let mut record = RecordedRequest {
        method: req.method().as_str().to_owned(),
        path: "/connect".to_owned(),
        query: req.uri().query().unwrap_or_default().to_owned(),
        content_type: None,
        msg_uuid: None,
        body: Vec::new(),
        body_len: 0,
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
    let answer = match key {
        None => {
            record.reason = Some("not a WebSocket upgrade".to_owned());
            response(
                StatusCode::BAD_REQUEST,
                "text/plain",
                "expected a WebSocket upgrade".to_owned(),
            )
        }
        Some(_) if !hub.take_ticket(&ticket, shared.config.clock.now()) => {
            record.reason = Some("unknown, used or expired ticket".to_owned());
            response(
                StatusCode::UNAUTHORIZED,
                "text/plain",
                "invalid ticket".to_owned(),
            )
        }
        Some(_) if !hub.try_reserve(MAX_SOCKETS) => {
            // Each socket holds one of the emulator's connections for as long as it is
            // open: past this many, the webhook could not be reached any more.
            record.reason = Some(format!("{MAX_SOCKETS} Stream sockets are open already"));
            response(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/plain",
                format!("too many Stream connections: {MAX_SOCKETS} are open"),
            )
        }
        Some(key) => {
            record.accepted = true;
            let on_upgrade = hyper::upgrade::on(&mut *req);
            let shared = Arc::clone(shared);
            tokio::spawn(async move {
                match on_upgrade.await {
                    Ok(upgraded) => {
                        let ws = WebSocketStream::from_raw_socket(
                            TokioIo::new(upgraded),
                            Role::Server,
                            None,
                        )
                        .await;
                        serve(&shared, ws).await;
                    }
                    Err(_) => {
                        if let Some(hub) = shared.stream.as_ref() {
                            hub.release();
                        }
                    }
                }
            });
            let mut res = Response::new(Bytes::new());
            *res.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
            let headers = res.headers_mut();
            headers.insert(
                header::UPGRADE,
                header::HeaderValue::from_static("websocket"),
            );
            headers.insert(
                header::CONNECTION,
                header::HeaderValue::from_static("Upgrade"),
            );
            if let Ok(accept) = header::HeaderValue::from_str(&derive_accept_key(key.as_bytes())) {
                headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
            }
            res
        }
    };
    record.http_status = Some(answer.status().as_u16());
    shared.record(record);
    Some(answer)
}

fn system_frame(topic: &str, data: String, now_ms: i64) -> (String, String) {
    let message_id = uuid::Uuid::new_v4().simple().to_string();
    let frame = Frame {
        spec_version: "1.0".to_owned(),
        kind: "SYSTEM".to_owned(),
        headers: Headers {
            topic: topic.to_owned(),
            message_id: message_id.clone(),
            content_type: "application/json".to_owned(),
            time: now_ms.to_string(),
        },
        data,
    };
    (
        message_id,
        serde_json::to_string(&frame).unwrap_or_default(),
    )
}

/// One socket until it closes or a fault ends it.
async fn serve<S>(shared: &Shared, ws: WebSocketStream<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let Some(hub) = shared.stream.as_ref() else {
        return;
    };
    let (id, mut commands, backlog) = hub.register();
    let (mut sink, mut stream) = ws.split();
    let mut ok = true;
    for frame in backlog {
        ok = ok && sink.send(Message::Text(frame.into())).await.is_ok();
    }
    let every = hub.app.ping_every;
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    let mut muted = false;
    let mut closing: Option<tokio::time::Instant> = None;
    while ok {
        tokio::select! {
            command = commands.recv() => match command {
                None | Some(Command::Drop) => break,
                Some(Command::Send(frame)) => ok = sink.send(Message::Text(frame.into())).await.is_ok(),
                Some(Command::Disconnect) => {
                    let (_, frame) = system_frame("disconnect", r#"{"reason":"mock disconnect"}"#.to_owned(), shared.config.clock.unix_ms());
                    ok = sink.send(Message::Text(frame.into())).await.is_ok();
                    closing = Some(tokio::time::Instant::now() + DISCONNECT_GRACE);
                }
                Some(Command::Mute) => muted = true,
            },
            _ = ping.tick(), if !muted => {
                let opaque = uuid::Uuid::new_v4().to_string();
                let data = serde_json::json!({ "opaque": opaque }).to_string();
                let (message_id, frame) = system_frame("ping", data, shared.config.clock.unix_ms());
                hub.pinged(message_id);
                ok = sink.send(Message::Text(frame.into())).await.is_ok();
            }
            () = sleep_until_some(closing) => {
                let _ = sink.send(Message::Close(None)).await;
                break;
            }
            message = stream.next(), if !muted => match message {
                Some(Ok(Message::Text(text))) => read_ack(hub, text.as_str()),
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
        }
    }
    hub.unregister(id);
}

async fn sleep_until_some(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

fn read_ack(hub: &Hub, text: &str) {
    if let Ok(ack) = serde_json::from_str::<Ack>(text) {
        if ack.code == 200 {
            hub.acked(&ack.headers.message_id);
        }
    }
}
