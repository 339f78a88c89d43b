//! Errors in the logs reach the group: a [`tracing_subscriber`] layer that sends events
//! through a [`Digest`](crate::Digest) (feature `tracing`).
//!
//! ```no_run
//! use tracing_subscriber::prelude::*;
//!
//! # fn main() -> Result<(), dingbot::Error> {
//! let robot = dingbot::Robot::from_env()?;
//! let (layer, guard) = dingbot::tracing::layer(robot); // ERROR and above
//! tracing_subscriber::registry().with(layer).init();
//!
//! tracing::error!(order = 1842, "payment failed");
//!
//! drop(guard); // delivers what is queued, waiting a bounded time
//! # Ok(()) }
//! ```
//!
//! How it behaves:
//!
//! - **Never blocks the caller.** An event the layer takes is formatted into a small
//!   owned record and put into a bounded queue; when the queue is full it is counted as
//!   dropped, and the count appears in the next message. Events the layer does not take
//!   (below its level, from an excluded target) are refused per callsite, once.
//! - **Owns its delivery.** A worker thread with its own current-thread Tokio runtime
//!   sends, so `error!()` works from threads without a runtime and inside any runtime.
//! - **Never throttled.** Everything goes through a [`Digest`](crate::Digest), and
//!   identical events (same callsite, same message) are counted, not repeated: a loop
//!   logging one error 10,000 times gives a handful of "9,981 × ..." messages. A
//!   counted message lists, per field, the distinct values its events carried
//!   (`order: SO-1, SO-2, … (300 distinct)`: at most 50 a field, the rest counted), and
//!   a field that never changed once.
//! - **No recursion.** Events from dingbot, from the HTTP stack under it (`reqwest`,
//!   `hyper`, `h2`, `rustls`, `tokio`, ...) and anything logged on the worker's
//!   threads never become messages.
//! - **Failures go elsewhere.** A delivery failure is reported once, to stderr or to
//!   [`LayerBuilder::on_failure`], never through `tracing`.
//! - **Shutdown loses nothing queued.** Dropping the [`Guard`] (or
//!   [`Guard::shutdown`]) delivers what is queued within
//!   [`LayerBuilder::shutdown_timeout`], and says how many were left if it runs out.
//!
//! Each event becomes a markdown message: the event's message as heading, one escaped
//! `**field**: value` line per field (escaped as the derive escapes, so logged data can
//! never inject markdown), the span stack with its fields, the source location, and the
//! service and host when they are set.

mod builder;
mod guard;
mod layer;
mod queue;
mod record;
mod render;
mod repeats;
mod worker;

pub use builder::{DEFAULT_TITLE, LayerBuilder};
pub use guard::{AlertStats, Guard};
pub use layer::{AlertFilter, AlertLayer, Alerts};
pub use record::Mentions;

use crate::client::Robot;

/// A layer sending events at ERROR and above through `robot`, with the defaults of
/// [`LayerBuilder`], and the [`Guard`] that delivers what is queued when dropped.
///
/// Should the worker thread fail to start (the system refuses a thread), the layer says
/// so once on stderr and counts every event it takes as dropped; it never panics.
///
/// ```
/// use tracing_subscriber::prelude::*;
///
/// # fn main() -> Result<(), dingbot::Error> {
/// let robot = dingbot::Robot::new("https://oapi.dingtalk.com/robot/send?access_token=abc")?;
/// let (layer, guard) = dingbot::tracing::layer(robot);
/// let subscriber = tracing_subscriber::registry().with(layer);
/// tracing::subscriber::with_default(subscriber, || {
///     tracing::info!("below the level: never sent");
/// });
/// assert_eq!(guard.stats().events, 0);
/// # Ok(()) }
/// ```
pub fn layer<S>(robot: Robot) -> (AlertLayer<S>, Guard)
where
    S: ::tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    builder(robot).build()
}

/// A [`LayerBuilder`] for a layer sending through `robot`.
pub fn builder(robot: Robot) -> LayerBuilder {
    LayerBuilder::new(robot)
}
