//! The HTTP side: accepting connections within the cap, serving each one within its
//! timeouts; each request goes to `request.rs`.
//!
//! Connections are served with hyper directly, because
//! [`Fault::DropConnection`](super::Fault::DropConnection) must close one connection
//! without answering.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use super::conn::{Activity, Connections, Tracked};
use super::request::handle;
use super::shared::{Fallback, Shared, shutdown_signal};

/// How long a stopping server waits for the requests in flight to be answered before it
/// closes their connections anyway (an injected delay can outlast it).
const GRACE: Duration = Duration::from_secs(5);

/// The most a request's head (request line, path, query and headers) may take: longer
/// ones are answered 431. It bounds what a record keeps of a request besides its body.
const MAX_HEAD: usize = 64 * 1024;

/// Accepts connections until told to stop, then lets the requests in flight finish
/// (up to [`GRACE`]), and only then reports that it stopped: once
/// [`MockServer::shutdown`](super::MockServer::shutdown) returns, every request that
/// was answered is recorded.
///
/// At most `max_connections` are open: beyond that, and when the process is out of
/// file descriptors, the connection that has waited longest for a request (idle, or
/// with a head half sent) is closed to make room; when every one is in the middle of a
/// request, new ones wait to be accepted until one ends.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    fallback: Option<Fallback>,
    mut shutdown: watch::Receiver<bool>,
    stopped: watch::Sender<bool>,
) {
    let max = shared.limits.max_connections;
    let mut tasks = JoinSet::new();
    let mut open = Connections::default();
    loop {
        let room = open.count() < max || open.any_waiting();
        tokio::select! {
            biased;
            () = shutdown_signal(&mut shutdown) => break,
            // Finished connections are reaped as they go.
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            accepted = listener.accept(), if room => match accepted {
                Ok((stream, peer)) => {
                    if open.count() >= max {
                        open.make_room();
                    }
                    tasks.spawn(connection(
                        stream,
                        peer,
                        Arc::clone(&shared),
                        open.add(),
                        fallback.clone(),
                        shutdown.clone(),
                    ));
                }
                Err(e) => {
                    if out_of_descriptors(&e) {
                        open.make_room();
                    }
                    // Wait a little instead of spinning (and let a closing one close).
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            },
            // Every connection is busy: look again shortly.
            () = tokio::time::sleep(Duration::from_millis(50)), if !room => {}
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(GRACE, async { while tasks.join_next().await.is_some() {} }).await;
    tasks.shutdown().await;
    stopped.send_replace(true);
}

/// Whether accepting failed because the process or the system has no file descriptor
/// left (EMFILE, ENFILE; WSAEMFILE).
fn out_of_descriptors(e: &std::io::Error) -> bool {
    if cfg!(windows) {
        e.raw_os_error() == Some(10024)
    } else {
        matches!(e.raw_os_error(), Some(23 | 24))
    }
}

/// Serves one connection until the client closes it, a fault drops it, it says nothing
/// for too long, it is closed to make room, or the server stops.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    activity: Arc<Activity>,
    fallback: Option<Fallback>,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let limits = shared.limits;
    let drop_connection = Arc::new(Notify::new());
    let service = {
        let drop_connection = Arc::clone(&drop_connection);
        let activity = Arc::clone(&activity);
        service_fn(move |req| {
            activity.request_started();
            let answer = handle(
                Arc::clone(&shared),
                fallback.clone(),
                peer,
                Arc::clone(&drop_connection),
                Arc::clone(&activity),
                req,
            );
            let activity = Arc::clone(&activity);
            async move {
                let answer = answer.await;
                activity.answered();
                Ok::<_, Infallible>(answer.map(Full::new))
            }
        })
    };
    let io = TokioIo::new(Tracked::new(stream, Arc::clone(&activity)));
    let conn = http1::Builder::new()
        .max_buf_size(MAX_HEAD)
        .serve_connection(io, service)
        // A Stream WebSocket (`stream/socket.rs`) takes its connection over.
        .with_upgrades();
    let mut conn = std::pin::pin!(conn);
    // Dropping `conn` closes the socket, without a response for a request in flight.
    tokio::select! {
        _ = conn.as_mut() => return,
        () = drop_connection.notified() => return,
        () = activity.expired(&limits) => return,
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
