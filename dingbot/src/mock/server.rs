//! The HTTP side: accepting connections, reading requests, applying faults and rules,
//! recording, answering.
//!
//! Connections are served with hyper directly, because
//! [`Fault::DropConnection`](super::Fault::DropConnection) must close one connection
//! without answering.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Request, Response, StatusCode, header};
use http_body_util::Full;
use hyper::body::Body as _;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use super::answer::{json_answer, response};
use super::errmsg::Rejection;
use super::faults::Effect;
use super::parse::msg_uuid_of;
use super::record::RecordedRequest;
use super::rules::{Config, Incoming};
use super::state::{Admission, State};

/// The robot endpoint's path.
pub(crate) const ENDPOINT_PATH: &str = "/robot/send";

/// The most the emulator keeps of a body; the rest is read and thrown away, so that even
/// a huge body gets DingTalk's "too big" answer rather than a reset connection.
const KEEP_LIMIT: usize = 1024 * 1024;

/// The most the emulator reads of a body before giving up on it.
const READ_LIMIT: usize = 64 * 1024 * 1024;

/// The application's routes beside the robot's endpoint
/// ([`MockServerBuilder::fallback`](super::MockServerBuilder::fallback)), bound to the
/// server: asked for every request to another path.
pub(crate) type Fallback = Arc<dyn Fn(&Request<Bytes>) -> Option<Response<Bytes>> + Send + Sync>;

/// What the server and every handle to it share.
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) addr: SocketAddr,
    /// When the emulator started, on its clock.
    pub(crate) started: Instant,
    state: Mutex<State>,
    /// How many requests were recorded since the start; subscribers wait on it.
    pub(crate) recorded: watch::Sender<u64>,
}

impl Shared {
    pub(crate) fn new(config: Config, addr: SocketAddr) -> Shared {
        Shared {
            started: config.clock.now(),
            config,
            addr,
            state: Mutex::new(State::default()),
            recorded: watch::Sender::new(0),
        }
    }

    /// The state; a panic elsewhere while it was locked does not make it unusable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a request and wakes the subscribers.
    fn record(&self, request: RecordedRequest) {
        let total = self.lock().push_request(request);
        self.recorded.send_replace(total);
    }
}

/// Resolves once `shutdown` is true, or once its sender is gone.
pub(crate) async fn shutdown_signal(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|&stop| stop).await;
}

/// How long a stopping server waits for the requests in flight to be answered before it
/// closes their connections anyway (an injected delay can outlast it).
const GRACE: Duration = Duration::from_secs(5);

/// Accepts connections until told to stop, then lets the requests in flight finish
/// (up to [`GRACE`]), and only then reports that it stopped: once
/// [`MockServer::shutdown`](super::MockServer::shutdown) returns, every request that
/// was answered is recorded.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    fallback: Option<Fallback>,
    mut shutdown: watch::Receiver<bool>,
    stopped: watch::Sender<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            biased;
            () = shutdown_signal(&mut shutdown) => break,
            // Finished connections are reaped as they go.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(connection(
                        stream,
                        peer,
                        Arc::clone(&shared),
                        fallback.clone(),
                        shutdown.clone(),
                    ));
                }
                // Out of file descriptors, say: wait a little instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            },
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    connections.shutdown().await;
    stopped.send_replace(true);
}

/// Serves one connection until the client closes it, a fault drops it, or the server
/// stops.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    fallback: Option<Fallback>,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let drop_connection = Arc::new(Notify::new());
    let service = {
        let drop_connection = Arc::clone(&drop_connection);
        service_fn(move |req| {
            let answer = handle(
                Arc::clone(&shared),
                fallback.clone(),
                peer,
                Arc::clone(&drop_connection),
                req,
            );
            async move { Ok::<_, Infallible>(answer.await.map(Full::new)) }
        })
    };
    let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    // Dropping `conn` closes the socket, without a response for a request in flight.
    tokio::select! {
        _ = conn.as_mut() => return,
        () = drop_connection.notified() => return,
        () = shutdown_signal(&mut shutdown) => {}
    }
    // Stopping: the request in flight, if any, is answered (and so recorded), then the
    // connection closes; an idle one closes at once.
    conn.as_mut().graceful_shutdown();
    tokio::select! {
        _ = conn => {}
        () = drop_connection.notified() => {}
    }
}

/// One request: read it whole; to another path than the robot's, ask the application's
/// routes, else record it and answer 404; to the robot's, take the next fault, apply the
/// rules, record, answer.
async fn handle(
    shared: Arc<Shared>,
    fallback: Option<Fallback>,
    peer: SocketAddr,
    drop_connection: Arc<Notify>,
    req: Request<hyper::body::Incoming>,
) -> Response<Bytes> {
    let at = shared.config.clock.now();
    let (parts, body) = req.into_parts();
    let (body, unreadable_body) = read_body(body).await;
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

/// Reads a request body, keeping at most [`KEEP_LIMIT`] bytes of it. The flag says the
/// body was not kept whole: too large, or broken off.
async fn read_body(mut body: hyper::body::Incoming) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    let mut total = 0usize;
    loop {
        match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            None => return (kept, total > KEEP_LIMIT),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    total = total.saturating_add(data.len());
                    if total <= KEEP_LIMIT {
                        kept.extend_from_slice(&data);
                    } else if total > READ_LIMIT {
                        return (kept, true);
                    }
                }
            }
            Some(Err(_)) => return (kept, true),
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
