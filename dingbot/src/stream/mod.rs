//! Stream mode: an app robot receives what people write to it over a WebSocket it opens
//! itself, with no public callback URL.
//!
//! A [`StreamClient`] opens a connection (`POST {openapi}/v1.0/gateway/connections/open`
//! with the app's client id and secret: an endpoint and a single-use ticket), connects to
//! `endpoint?ticket=…`, answers the server's `ping` with its `opaque`, acknowledges every
//! frame, and hands each robot message to the program as an
//! [`IncomingMessage`], once: frames delivered again (by
//! `messageId`) are acknowledged and dropped. It opens a new connection, with a new
//! ticket, when the socket closes or fails, when the server says `disconnect`, and when
//! nothing arrived for [`idle_timeout`](StreamBuilder::idle_timeout) (a socket that died
//! silently); failed attempts back off exponentially with jitter.
//!
//! [`StreamClient::messages`] starts it and gives a [`Messages`] stream (a
//! `futures::Stream` and an `async fn next`), as
//! tokio-tungstenite's own sockets are read; [`StreamClient::run`] calls a handler for
//! each message instead, the event-loop shape of chat frameworks. Either stops with
//! [`StreamHandle::shutdown`] (the socket closed with a close frame), or when the
//! [`Messages`] is dropped.
//!
//! ```no_run
//! use dingbot::stream::StreamClient;
//! use dingbot::Text;
//!
//! # async fn run() -> Result<(), dingbot::Error> {
//! let client = StreamClient::builder("dingappkey", "app-secret").build()?;
//! client
//!     .run(|msg| async move {
//!         let answer = Text::new(format!("{} said {}", msg.sender_nick, msg.text()));
//!         if let Err(err) = msg.reply(&answer).await {
//!             eprintln!("reply failed: {err}");
//!         }
//!     })
//!     .await;
//! # Ok(())
//! # }
//! ```

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::{mpsc, watch};

use crate::incoming::IncomingMessage;
use crate::redacted::Redacted;

mod builder;
mod connect;
mod dedup;
mod run;

pub use crate::frame::BOT_MESSAGE_TOPIC;
pub use builder::{DEFAULT_OPENAPI, StreamBuilder};

/// What a client's task reads.
pub(crate) struct Settings {
    pub(crate) builder: StreamBuilder,
    pub(crate) http: reqwest::Client,
    pub(crate) tls: Arc<rustls::ClientConfig>,
}

/// An app robot's Stream mode client; see [the module](self). Cheap to clone.
#[derive(Clone)]
pub struct StreamClient {
    settings: Arc<Settings>,
}

impl std::fmt::Debug for StreamClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamClient")
            .field("settings", &self.settings.builder)
            .finish()
    }
}

impl StreamClient {
    /// Settings for the app with this client id (its `AppKey`) and secret.
    pub fn builder(
        client_id: impl Into<String>,
        client_secret: impl Into<Redacted>,
    ) -> StreamBuilder {
        StreamBuilder::new(client_id.into(), client_secret.into())
    }

    /// Starts the connection task on the current Tokio runtime; robot messages arrive on
    /// the returned stream.
    ///
    /// # Panics
    /// Outside a Tokio runtime.
    pub fn messages(&self) -> Messages {
        let (tx, rx) = mpsc::channel(self.settings.builder.buffer.max(1));
        let (stop_tx, stop_rx) = watch::channel(false);
        let (done_tx, done_rx) = watch::channel(false);
        tokio::spawn(run::run(Arc::clone(&self.settings), tx, stop_rx, done_tx));
        Messages {
            rx,
            handle: StreamHandle {
                stop: Arc::new(stop_tx),
                done: done_rx,
            },
        }
    }

    /// Calls `handler` for each robot message, one at a time, until
    /// [`StreamHandle::shutdown`] (from [`messages`](Self::messages)' handle, or a clone
    /// given to the handler beforehand through [`run_with`](Self::run_with)).
    pub async fn run<F, Fut>(&self, handler: F)
    where
        F: FnMut(IncomingMessage) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        self.run_with(self.messages(), handler).await;
    }

    /// [`run`](Self::run) on messages already started, so that their
    /// [`handle`](Messages::handle) can stop it.
    pub async fn run_with<F, Fut>(&self, mut messages: Messages, mut handler: F)
    where
        F: FnMut(IncomingMessage) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        while let Some(msg) = messages.next().await {
            handler(msg).await;
        }
    }
}

/// Robot messages as they arrive, each once; ends after [`StreamHandle::shutdown`].
/// Dropping it stops the client.
#[derive(Debug)]
pub struct Messages {
    rx: mpsc::Receiver<IncomingMessage>,
    handle: StreamHandle,
}

impl Messages {
    /// The next message; `None` once the client stopped.
    pub async fn next(&mut self) -> Option<IncomingMessage> {
        self.rx.recv().await
    }

    /// A handle that stops the client.
    pub fn handle(&self) -> StreamHandle {
        self.handle.clone()
    }
}

impl futures_util::Stream for Messages {
    type Item = IncomingMessage;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<IncomingMessage>> {
        self.get_mut().rx.poll_recv(cx)
    }
}

impl Drop for Messages {
    fn drop(&mut self) {
        self.handle.stop.send_replace(true);
    }
}

/// Stops a running [`StreamClient`]; cheap to clone.
#[derive(Clone, Debug)]
pub struct StreamHandle {
    stop: Arc<watch::Sender<bool>>,
    done: watch::Receiver<bool>,
}

impl StreamHandle {
    /// Closes the socket (with a close frame) and stops reconnecting; returns once the
    /// client's task ended. Messages already received stay readable.
    pub async fn shutdown(&self) {
        self.stop.send_replace(true);
        let mut done = self.done.clone();
        let _ = done.wait_for(|&done| done).await;
    }
}
