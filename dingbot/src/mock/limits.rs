//! What bounds the emulator's memory and connections: how many requests it keeps, how
//! much of a body, how long a connection may dawdle, how many may be open. A leaf: the
//! builder sets these, the state and the server read them.

use std::time::Duration;

/// How many requests an emulator keeps unless [`MockServerBuilder::keep`] says otherwise:
/// the last 1,000.
///
/// [`MockServerBuilder::keep`]: super::MockServerBuilder::keep
pub const DEFAULT_KEEP: usize = 1000;

/// The most of a body a [`RecordedRequest`](super::RecordedRequest) keeps: 64 KiB, more
/// than DingTalk accepts (20,000 bytes), so that every body DingTalk could accept is kept
/// whole. A longer body is still read to its end and judged by its full length
/// ([`body_len`](super::RecordedRequest::body_len)).
pub const MAX_RECORDED_BODY: usize = 64 * 1024;

/// How many `msgUuid`s of accepted messages the emulator remembers to answer a resend as
/// a duplicate: the last 100,000 (a sender retries within minutes, not after 100,000
/// other messages).
pub const REMEMBERED_MSG_UUIDS: usize = 100_000;

/// The defaults of [`Limits`]' timeouts and cap.
pub(crate) const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
pub(crate) const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
pub(crate) const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// The bounds set on the builder.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// How many recorded requests (and accepted messages) are kept.
    pub(crate) keep: usize,
    /// How long a request's head may take from its first byte.
    pub(crate) header_read_timeout: Duration,
    /// How long a connection may send nothing while the emulator waits for it: between
    /// requests, or in the middle of a body.
    pub(crate) idle_timeout: Duration,
    /// How many connections may be open at once.
    pub(crate) max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            keep: DEFAULT_KEEP,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}
