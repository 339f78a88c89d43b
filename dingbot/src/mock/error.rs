//! [`MockError`]: why an emulator could not start.

use std::io;
use std::net::SocketAddr;

/// Why a [`MockServer`](super::MockServer) could not start, or why its settings are
/// wrong ([`MockServerBuilder::check`](super::MockServerBuilder::check)).
///
/// The emulator's own error, apart from [`dingbot::Error`](crate::Error): a robot never
/// meets it, and a test that starts an emulator and sends through a robot returns
/// `Box<dyn std::error::Error>` (or unwraps).
///
/// ```
/// use dingbot::mock::{MockError, MockServer};
///
/// let err = MockServer::builder().keyword(" ").check().unwrap_err();
/// assert!(matches!(err, MockError::InvalidSetting { .. }));
/// assert!(err.to_string().contains("a keyword is empty"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// A setting is invalid: more than [`MAX_KEYWORDS`](super::MAX_KEYWORDS) keywords,
    /// an empty keyword, token or secret, a token with characters a URL would need to
    /// escape, a rate limit that allows nothing, a zero `keep`, connection cap or timeout. A setting to change, not a failure of
    /// the machine.
    #[error("the DingTalk emulator cannot start with these settings: {message}")]
    InvalidSetting {
        /// Which setting, and what is wrong with it.
        message: String,
    },
    /// The address could not be bound: in use, not this machine's, or not allowed.
    #[error(
        "the DingTalk emulator could not start: cannot listen on {addr}: {source} \
         (pick another address or port; port 0 picks a free one)"
    )]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// The machine refused something serving needs: a thread, a runtime, a socket
    /// setting.
    #[error("the DingTalk emulator could not start: {what}: {source}")]
    System {
        /// What could not be had, e.g. `cannot spawn the server thread`.
        what: &'static str,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// The serving thread ended before it was ready (it panicked).
    #[error("the DingTalk emulator could not start: its thread ended before it was ready")]
    ThreadEnded,
}

impl MockError {
    pub(crate) fn setting(message: impl Into<String>) -> MockError {
        MockError::InvalidSetting {
            message: message.into(),
        }
    }

    pub(crate) fn system(what: &'static str, source: io::Error) -> MockError {
        MockError::System { what, source }
    }
}
