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

use crate::client::Sent;
use crate::client::runtime::check_may_block;
use crate::digest::{DigestConfig, DigestStats};
use crate::error::Error;
use crate::message::DingMessage;
use crate::payload::Payload;
use crate::webhook::Webhook;

/// A DingTalk robot for synchronous code: [`crate::Robot`] without `.await`.
///
/// It runs its sends on a small private runtime, so it works in plain `fn main()`
/// programs, from many threads at once (clones share it), and from `spawn_blocking`
/// threads. Called from async code, on a thread that runs a Tokio runtime's tasks, it
/// would block them: there its sends, flushes and closes fail at once with
/// [`Error::Runtime`]; use [`crate::Robot`] there.
///
/// Made like the async robot — [`new`](Self::new), [`builder`](Self::builder),
/// [`from_env`](Self::from_env) — or from an async robot with
/// `blocking::Robot::try_from(robot)`, which shares its connection pool and pacing.
#[derive(Clone)]
pub struct Robot {
    robot: crate::Robot,
    runtime: Arc<Runtime>,
}

/// The private runtime; shut down in the background so that dropping the last robot
/// never blocks or panics, even inside an async context.
struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
    fn start() -> Result<Arc<Runtime>, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("dingbot-blocking")
            .enable_all()
            .build()
            .map_err(|e| Error::Runtime {
                message: format!("cannot start the blocking runtime: {e}"),
            })?;
        Ok(Arc::new(Runtime(Some(runtime))))
    }

    /// Where to spawn work.
    fn handle(&self) -> Result<&tokio::runtime::Handle, Error> {
        match &self.0 {
            Some(rt) => Ok(rt.handle()),
            None => Err(Error::Runtime {
                message: "the blocking runtime has shut down".into(),
            }),
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Runtime")
    }
}

impl fmt::Debug for Robot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Robot").field(&self.robot).finish()
    }
}

impl TryFrom<crate::Robot> for Robot {
    type Error = Error;

    /// A blocking robot around an async one, sharing its connection pool and pacing.
    /// Fails only if its private runtime cannot start.
    ///
    /// ```
    /// let robot = dingbot::Robot::new("token123")?;
    /// let blocking = dingbot::blocking::Robot::try_from(robot.clone())?;
    /// assert_eq!(blocking.webhook(), robot.webhook());
    /// # Ok::<(), dingbot::Error>(())
    /// ```
    fn try_from(robot: crate::Robot) -> Result<Robot, Error> {
        Ok(Robot {
            robot,
            runtime: Runtime::start()?,
        })
    }
}

impl Robot {
    /// A robot for this webhook: the full URL DingTalk shows, or the bare access token.
    pub fn new(webhook: impl AsRef<str>) -> Result<Robot, Error> {
        Robot::builder(webhook).build()
    }

    /// A builder for this webhook, with the same settings as [`crate::Robot::builder`];
    /// its `build` returns a blocking robot.
    ///
    /// ```
    /// use std::time::Duration;
    /// let robot = dingbot::blocking::Robot::builder("token123")
    ///     .secret("SECabc")
    ///     .timeout(Duration::from_secs(3))
    ///     .build()?;
    /// assert!(robot.webhook().is_signed());
    /// # Ok::<(), dingbot::Error>(())
    /// ```
    pub fn builder(webhook: impl AsRef<str>) -> RobotBuilder {
        RobotBuilder(crate::Robot::builder(webhook))
    }

    /// A robot from `DINGTALK_WEBHOOK` and `DINGTALK_SECRET`, as [`crate::Robot::from_env`];
    /// [`RobotBuilder::from_env`] to adjust it first.
    pub fn from_env() -> Result<Robot, Error> {
        RobotBuilder::from_env()?.build()
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
        check_may_block("Robot::send")?;
        self.send_owned(self.robot.payload_for(msg)?)
    }

    /// Sends an already encoded [`Payload`].
    pub fn send_payload(&self, payload: &Payload) -> Result<Sent, Error> {
        check_may_block("Robot::send_payload")?;
        self.send_owned(payload.clone())
    }

    fn send_owned(&self, payload: Payload) -> Result<Sent, Error> {
        let robot = self.robot.clone();
        run(&self.runtime, async move {
            robot.send_paced(&payload, robot.pacing()).await
        })
    }

    /// A [`Digest`] sending through this robot: bursts merged into summaries (see
    /// [`crate::Digest`]). Its delivery runs on this robot's private runtime.
    pub fn digest(&self, config: DigestConfig) -> Result<Digest, Error> {
        let inner = crate::Digest::spawn(
            self.robot.clone(),
            config,
            self.runtime.handle()?,
            // What the dropped digest holds is still delivered after this robot is
            // dropped too: the last holder of the runtime shuts it down.
            Some(Box::new(Arc::clone(&self.runtime))),
        );
        Ok(Digest {
            inner,
            runtime: Arc::clone(&self.runtime),
        })
    }
}

/// Runs `work` on the private runtime and blocks this thread until it is done. It works
/// from any thread (a `spawn_blocking` thread too) and never panics.
fn run<T: Send + 'static>(
    runtime: &Runtime,
    work: impl Future<Output = Result<T, Error>> + Send + 'static,
) -> Result<T, Error> {
    let (done, result) = std::sync::mpsc::sync_channel(1);
    drop(runtime.handle()?.spawn(async move {
        // The receiver is gone only if the calling thread is; nothing is left to tell.
        let _ = done.send(work.await);
    }));
    result.recv().map_err(|_| Error::Runtime {
        message: "the blocking runtime stopped before the work was done".into(),
    })?
}

/// Builds a blocking [`Robot`]; see [`Robot::builder`]. Each setting is the one of
/// [`crate::RobotBuilder`] with the same name.
#[derive(Debug)]
#[must_use]
pub struct RobotBuilder(crate::RobotBuilder);

macro_rules! same_settings {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        #[doc = concat!("See [`crate::RobotBuilder::", stringify!($name), "`].")]
        pub fn $name(self, $($arg: $ty),*) -> Self {
            RobotBuilder(self.0.$name($($arg),*))
        }
    )*};
}

impl RobotBuilder {
    /// See [`crate::RobotBuilder::keywords`].
    pub fn keywords<I, S>(self, keywords: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        RobotBuilder(self.0.keywords(keywords))
    }

    /// A builder from `DINGTALK_WEBHOOK` and `DINGTALK_SECRET`; see
    /// [`crate::RobotBuilder::from_env`].
    pub fn from_env() -> Result<RobotBuilder, Error> {
        crate::RobotBuilder::from_env().map(RobotBuilder)
    }

    same_settings! {
        secret(secret: impl AsRef<str>);
        ensure_keyword(ensure: bool);
        timeout(timeout: std::time::Duration);
        connect_timeout(timeout: std::time::Duration);
        retry(policy: crate::RetryPolicy);
        clock(clock: crate::clock::Clock);
        pacing(pacing: crate::Pacing);
        rate_limit(rate: crate::Rate);
        pacing_margin(margin: std::time::Duration);
    }

    /// See [`crate::RobotBuilder::redis_pacing`].
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn redis_pacing(self, url: impl AsRef<str>) -> Self {
        RobotBuilder(self.0.redis_pacing(url))
    }

    /// Builds the blocking robot.
    pub fn build(self) -> Result<Robot, Error> {
        Robot::try_from(self.0.build()?)
    }
}

/// [`crate::Digest`] for synchronous code: `push` never waits; `flush` and `close` block.
///
/// ```
/// use dingbot::{DigestConfig, Text, blocking::Robot, mock::MockServer};
///
/// let server = MockServer::start_blocking()?;
/// let robot = Robot::new(&server.webhook_url())?;
/// let digest = robot.digest(DigestConfig::default())?;
/// for i in 0..5 {
///     digest.push(&Text::new(format!("job {i} done")))?;
/// }
/// let stats = digest.close()?;
/// assert_eq!(stats.events, 5);
/// assert_eq!(server.received().len() as u64, stats.messages);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Digest {
    inner: crate::Digest,
    runtime: Arc<Runtime>,
}

impl Digest {
    /// Accepts an event without waiting; see [`crate::Digest::push`].
    pub fn push<M: DingMessage + ?Sized>(&self, event: &M) -> Result<(), Error> {
        self.inner.push(event)
    }

    /// What the digest has done so far.
    pub fn stats(&self) -> DigestStats {
        self.inner.stats()
    }

    /// Blocks until everything pushed so far is delivered (or has failed for good).
    /// Fails with [`Error::Runtime`] on a thread that runs async tasks (see [`Robot`]).
    pub fn flush(&self) -> Result<DigestStats, Error> {
        check_may_block("Digest::flush")?;
        let inner = self.inner.clone();
        run(&self.runtime, async move { Ok(inner.flush().await) })
    }

    /// Delivers everything still held (within the digest's
    /// [`close_timeout`](DigestConfig::close_timeout)), stops the digest and returns what
    /// it did; see [`crate::Digest::close`].
    ///
    /// Fails with [`Error::Runtime`] on a thread that runs async tasks (see [`Robot`]);
    /// the digest is then dropped, and delivers what it holds in the background.
    pub fn close(self) -> Result<DigestStats, Error> {
        check_may_block("Digest::close")?;
        let Digest { inner, runtime } = self;
        run(&runtime, async move { Ok(inner.close().await) })
    }
}
