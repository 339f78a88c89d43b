//! Whether the calling thread's Tokio runtime can do what a robot asks of it.
//!
//! Tokio has no way to ask whether a runtime has timers or IO, or whether a thread
//! drives async tasks: the operations that need them panic. So these checks make the
//! cheapest such operation and catch its panic (Tokio's hook still prints its own
//! message), and turn it into an [`Error::Runtime`] that says what to change.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::task::Poll;
use std::time::Duration;

use tokio::runtime::Handle;

use crate::Error;

/// The calling thread's Tokio runtime, if it has timers. IO is checked where it is
/// first needed, by [`catch_missing_io`].
pub(crate) fn check_async(what: &str) -> Result<Handle, Error> {
    let Ok(runtime) = Handle::try_current() else {
        return Err(Error::Runtime {
            message: format!("dingbot: {what} must be called inside a Tokio runtime"),
        });
    };
    // Making a timer (it is not started) panics when the runtime has no time driver.
    if catch_unwind(|| drop(tokio::time::sleep(Duration::ZERO))).is_err() {
        return Err(Error::Runtime {
            message: format!(
                "dingbot: {what} needs the Tokio runtime's timers, and this runtime was built \
                 without them: add `.enable_time()` to its builder (or `.enable_all()`, as \
                 sending needs `.enable_io()` too)"
            ),
        });
    }
    Ok(runtime)
}

/// Runs `work` (an HTTP attempt), turning Tokio's panic for a runtime without IO — the
/// HTTP client's first connection is where it comes — into an [`Error::Runtime`]. Any
/// other panic goes on unwinding.
pub(crate) async fn catch_missing_io<T>(
    work: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let mut work = std::pin::pin!(work);
    std::future::poll_fn(
        |cx| match catch_unwind(AssertUnwindSafe(|| work.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(panic) if panic_text(&*panic).contains("IO is disabled") => {
                Poll::Ready(Err(Error::Runtime {
                    message: "dingbot: sending needs the Tokio runtime's IO, and this runtime \
                              was built without it: add `.enable_io()` to its builder (or \
                              `.enable_all()`)"
                        .into(),
                }))
            }
            Err(panic) => std::panic::resume_unwind(panic),
        },
    )
    .await
}

/// `Ok` unless the calling thread drives a Tokio runtime's async tasks, where blocking
/// would stall them (and, on a single-threaded runtime, whatever would answer).
/// Threads of `spawn_blocking`, and threads that only entered a runtime, may block.
#[cfg(feature = "blocking")]
pub(crate) fn check_may_block(what: &str) -> Result<(), Error> {
    if Handle::try_current().is_err() {
        return Ok(());
    }
    // A blocking receive on a closed channel returns at once, or panics where Tokio
    // forbids blocking.
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    drop(tx);
    match catch_unwind(AssertUnwindSafe(move || rx.blocking_recv())) {
        Ok(_) => Ok(()),
        Err(_) => Err(Error::Runtime {
            message: format!(
                "dingbot: blocking::{what} was called from async code, on a thread that runs a \
                 Tokio runtime's tasks, which it would block; use the async dingbot::Robot \
                 there (`robot.send(&msg).await`), or call it inside \
                 `tokio::task::spawn_blocking`"
            ),
        }),
    }
}

/// The text of a panic's payload, if it has one.
fn panic_text(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("")
}
