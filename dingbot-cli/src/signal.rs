//! Signals, the same way for `dingbot mock` and `dingbot alertmanager`, on every
//! platform: Ctrl-C stops the command everywhere, SIGTERM too on Unix; SIGHUP asks the
//! bridge to reload its config on Unix (elsewhere there is no SIGHUP, and `POST /-/reload`
//! does it).
//!
//! Handlers are installed when [`Stop::install`] and [`Reload::install`] return, not when
//! first awaited: a command installs them before it tells anyone its address, so that a
//! signal sent as soon as a test has read the address stops it cleanly instead of
//! killing it.

use crate::exit::Failure;

/// The signal that stopped the command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Signal {
    /// Ctrl-C (SIGINT on Unix).
    Interrupt,
    /// SIGTERM (Unix only).
    Terminate,
}

impl Signal {
    /// Its name in logs.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        }
    }
}

/// Ctrl-C and, on Unix, SIGTERM, listened for from the moment of [`install`](Stop::install).
pub(crate) struct Stop {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(windows)]
    ctrl_c: tokio::signal::windows::CtrlC,
}

impl Stop {
    /// Installs the handlers. Must run inside the runtime.
    pub(crate) fn install() -> Result<Stop, Failure> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Stop {
                interrupt: signal(SignalKind::interrupt()).map_err(|e| cannot("Ctrl-C", e))?,
                terminate: signal(SignalKind::terminate()).map_err(|e| cannot("SIGTERM", e))?,
            })
        }
        #[cfg(windows)]
        {
            Ok(Stop {
                ctrl_c: tokio::signal::windows::ctrl_c().map_err(|e| cannot("Ctrl-C", e))?,
            })
        }
        #[cfg(not(any(unix, windows)))]
        {
            Ok(Stop {})
        }
    }

    /// Waits for the first of the signals; on a platform without them, forever.
    pub(crate) async fn wait(mut self) -> Signal {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => Signal::Interrupt,
                _ = self.terminate.recv() => Signal::Terminate,
            }
        }
        #[cfg(windows)]
        {
            let _ = self.ctrl_c.recv().await;
            Signal::Interrupt
        }
        #[cfg(not(any(unix, windows)))]
        {
            std::future::pending().await
        }
    }
}

/// SIGHUP on Unix, listened for from the moment of [`install`](Reload::install); on
/// other platforms it never comes.
pub(crate) struct Reload {
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
}

impl Reload {
    /// Installs the handler. Must run inside the runtime.
    pub(crate) fn install() -> Result<Reload, Failure> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Reload {
                hangup: signal(SignalKind::hangup()).map_err(|e| cannot("SIGHUP", e))?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Reload {})
        }
    }

    /// Waits for the next SIGHUP; `false` once no more can come.
    pub(crate) async fn next(&mut self) -> bool {
        #[cfg(unix)]
        {
            self.hangup.recv().await.is_some()
        }
        #[cfg(not(unix))]
        {
            std::future::pending().await
        }
    }
}

fn cannot(what: &str, e: std::io::Error) -> Failure {
    Failure::internal(format!("cannot listen for {what}: {e}"))
}
