//! The client's task: connect, read until the connection ends, connect again (backing
//! off after failures), until told to stop.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, sleep, sleep_until};
use tokio_tungstenite::tungstenite::Message;

use super::Settings;
use super::connect::{Socket, connect};
use super::dedup::Seen;
use crate::frame::{Ack, BOT_MESSAGE_TOPIC, Frame};
use crate::incoming::IncomingMessage;

/// How a connection ended.
#[derive(Debug, PartialEq, Eq)]
enum Ended {
    /// Told to stop, or nobody reads the messages any more.
    Stop,
    /// The server said `disconnect`: connect again at once.
    Disconnect,
    /// Closed, failed, or silent for too long, after it had worked.
    Lost,
}

/// Runs the client until `stop`; then says so on `done`.
pub(crate) async fn run(
    settings: Arc<Settings>,
    tx: mpsc::Sender<IncomingMessage>,
    mut stop: watch::Receiver<bool>,
    done: watch::Sender<bool>,
) {
    let mut seen = Seen::new(settings.builder.remember);
    let mut failures: u32 = 0;
    loop {
        if *stop.borrow() {
            break;
        }
        let attempt = tokio::select! {
            biased;
            () = stopped(&mut stop) => break,
            attempt = connect(&settings) => attempt,
        };
        let delay = match attempt {
            Ok(socket) => {
                tracing::debug!("dingbot stream: connected");
                failures = 0;
                match session(&settings, socket, &tx, &mut stop, &mut seen).await {
                    Ended::Stop => break,
                    Ended::Disconnect => {
                        tracing::info!("dingbot stream: the server asked to reconnect");
                        continue;
                    }
                    Ended::Lost => backoff(&settings, 0),
                }
            }
            Err(reason) => {
                failures = failures.saturating_add(1);
                let delay = backoff(&settings, failures);
                tracing::warn!(
                    reason = %reason,
                    retry_in_ms = delay.as_millis() as u64,
                    "dingbot stream: cannot connect"
                );
                delay
            }
        };
        tokio::select! {
            biased;
            () = stopped(&mut stop) => break,
            () = sleep(delay) => {}
        }
    }
    done.send_replace(true);
}

/// Resolves once told to stop.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|&s| s).await;
}

/// The delay before the next attempt after `failures` failed ones in a row: from the
/// minimum, doubling up to the maximum, then half to all of it at random.
fn backoff(settings: &Settings, failures: u32) -> Duration {
    let b = &settings.builder;
    let full = b
        .backoff_min
        .saturating_mul(2u32.saturating_pow(failures.min(20)))
        .min(b.backoff_max);
    full.mul_f64(0.5 + fastrand::f64() * 0.5)
}

/// Reads one connection until it ends.
async fn session(
    settings: &Settings,
    socket: Socket,
    tx: &mpsc::Sender<IncomingMessage>,
    stop: &mut watch::Receiver<bool>,
    seen: &mut Seen,
) -> Ended {
    let b = &settings.builder;
    let (mut sink, mut stream) = socket.split();
    let mut last_frame = Instant::now();
    let mut keepalive = tokio::time::interval_at(Instant::now() + b.keepalive, b.keepalive);
    loop {
        let message = tokio::select! {
            biased;
            () = stopped(stop) => {
                let _ = sink.send(Message::Close(None)).await;
                return Ended::Stop;
            }
            () = sleep_until(last_frame + b.idle_timeout) => {
                tracing::warn!(
                    silent_ms = b.idle_timeout.as_millis() as u64,
                    "dingbot stream: nothing from the server, the socket is taken as dead"
                );
                return Ended::Lost;
            }
            _ = keepalive.tick() => {
                if sink.send(Message::Ping(Vec::new().into())).await.is_err() {
                    return Ended::Lost;
                }
                continue;
            }
            message = stream.next() => message,
        };
        let text = match message {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Close(_))) | None => return Ended::Lost,
            Some(Err(err)) => {
                tracing::warn!(error = %err, "dingbot stream: the socket failed");
                return Ended::Lost;
            }
            Some(Ok(_)) => {
                last_frame = Instant::now();
                continue;
            }
        };
        last_frame = Instant::now();
        let Ok(frame) = serde_json::from_str::<Frame>(text.as_str()) else {
            tracing::warn!("dingbot stream: a frame that is not JSON was ignored");
            continue;
        };
        let (ack_data, ended) = match (frame.kind.as_str(), frame.headers.topic.as_str()) {
            ("SYSTEM", "ping") => (frame.data.clone(), None),
            ("SYSTEM", "disconnect") => (String::new(), Some(Ended::Disconnect)),
            ("CALLBACK", BOT_MESSAGE_TOPIC) => {
                if seen.first_time(&frame.headers.message_id) {
                    match serde_json::from_str::<IncomingMessage>(&frame.data) {
                        Ok(msg) => {
                            let sent = tokio::select! {
                                biased;
                                () = stopped(stop) => false,
                                sent = tx.send(msg) => sent.is_ok(),
                            };
                            if !sent {
                                let _ = sink.send(Message::Close(None)).await;
                                return Ended::Stop;
                            }
                        }
                        Err(err) => {
                            tracing::warn!(error = %err, "dingbot stream: a robot message could not be read");
                        }
                    }
                } else {
                    tracing::debug!(
                        message_id = %frame.headers.message_id,
                        "dingbot stream: a message delivered again was acknowledged and dropped"
                    );
                }
                (r#"{"response":null}"#.to_owned(), None)
            }
            _ => (
                r#"{"status":"SUCCESS","message":"success"}"#.to_owned(),
                None,
            ),
        };
        let ack = Ack::ok(&frame.headers.message_id, ack_data);
        let ack = serde_json::to_string(&ack).unwrap_or_default();
        if sink.send(Message::Text(ack.into())).await.is_err() {
            return Ended::Lost;
        }
        if let Some(ended) = ended {
            // The server closes the old socket itself; the client leaves it at once.
            let _ = sink.send(Message::Close(None)).await;
            return ended;
        }
    }
}
