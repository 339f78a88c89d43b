//! [`blocking::Robot`](Robot): the same robot for synchronous code.
//!
//! ```no_run
//! use dingbot::{Text, blocking::Robot};
//!
//! let robot = Robot::from_env()?;
//! robot.send(&Text::new("nightly backup done"))?;
//! # Ok::<(), dingbot::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use crate::{DingMessage, Error, Payload, RobotBuilder, Sent, Webhook};

/// A DingTalk robot for synchronous code: [`crate::Robot`] without `.await`.
///
/// It runs its sends on a small private runtime, so it works in plain `fn main()`
/// programs and from many threads at once (clones share it). Calling it from inside an
/// async runtime is refused with an error rather than a panic: use [`crate::Robot`]
/// there.
#[derive(Clone)]
pub struct Robot {
    robot: crate::Robot,
    runtime: Arc<Runtime>,
}

/// The private runtime; shut down in the background so that dropping the last robot
/// never blocks or panics, even inside an async context.
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl fmt::Debug for Robot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Robot").field(&self.robot).finish()
    }
}

impl Robot {
    /// A robot for this webhook: the full URL DingTalk shows, or the bare access token.
    pub fn new(webhook: &str) -> Result<Robot, Error> {
        Robot::from_async(crate::Robot::new(webhook)?)
    }

    /// A builder for this webhook; finish it with [`Robot::from_builder`].
    pub fn builder(webhook: &str) -> RobotBuilder {
        crate::Robot::builder(webhook)
    }

    /// Builds a blocking robot from a [`RobotBuilder`].
    ///
    /// ```
    /// use std::time::Duration;
    /// let robot = dingbot::blocking::Robot::from_builder(
    ///     dingbot::blocking::Robot::builder("token123").timeout(Duration::from_secs(3)),
    /// )?;
    /// # Ok::<(), dingbot::Error>(())
    /// ```
    pub fn from_builder(builder: RobotBuilder) -> Result<Robot, Error> {
        Robot::from_async(builder.build()?)
    }

    /// A robot from `DINGTALK_WEBHOOK` and `DINGTALK_SECRET`, as [`crate::Robot::from_env`].
    pub fn from_env() -> Result<Robot, Error> {
        Robot::from_async(crate::Robot::from_env()?)
    }

    /// Wraps an async robot (sharing its connection pool and pacing).
    pub fn from_async(robot: crate::Robot) -> Result<Robot, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("dingbot-blocking")
            .enable_all()
            .build()
            .map_err(|e| Error::Transport {
                message: format!("cannot start the blocking runtime: {e}"),
            })?;
        Ok(Robot {
            robot,
            runtime: Arc::new(Runtime(Some(runtime))),
        })
    }

    /// The async robot behind this one.
    pub fn as_async(&self) -> &crate::Robot {
        &self.robot
    }

    /// The webhook this robot sends to.
    pub fn webhook(&self) -> &Webhook {
        self.robot.webhook()
    }

    /// Sends a message, blocking the calling thread until DingTalk answers (retries
    /// included).
    pub fn send<M: DingMessage + ?Sized>(&self, msg: &M) -> Result<Sent, Error> {
        let payload = Payload::new(msg)?;
        self.send_payload(&payload)
    }

    /// Sends an already encoded [`Payload`].
    pub fn send_payload(&self, payload: &Payload) -> Result<Sent, Error> {
        self.block_on(self.robot.send_payload(payload))
    }

    fn block_on<T>(&self, fut: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Transport {
                message: "dingbot::blocking::Robot was called from inside an async runtime; use dingbot::Robot there"
                    .into(),
            });
        }
        match &self.runtime.0 {
            Some(rt) => rt.block_on(fut),
            None => Err(Error::Transport {
                message: "the blocking runtime has shut down".into(),
            }),
        }
    }
}
