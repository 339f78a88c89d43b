//! [`Pacing`]: what a send does when the robot may not send right now.

use std::time::Duration;

/// What a send does when the robot may not send right now.
///
/// ```
/// use std::time::Duration;
/// use dingbot::{Pacing, Robot};
///
/// // Wait for a slot, but never longer than 30 s: then fail as `FailFast` would.
/// let robot = Robot::builder("https://oapi.dingtalk.com/robot/send?access_token=t")
///     .pacing(Pacing::WaitAtMost(Duration::from_secs(30)))
///     .build()?;
/// # Ok::<(), dingbot::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pacing {
    /// Wait (asynchronously) for a slot, or for the throttle to end — or, with
    /// [`redis_pacing`](crate::RobotBuilder::redis_pacing), for Redis to answer again;
    /// as long as it takes (a Redis-paced send says what it waits for in a warning
    /// each minute). The default.
    #[default]
    Wait,
    /// Wait as [`Wait`](Self::Wait) does, but for at most this long per slot; then
    /// fail as [`FailFast`](Self::FailFast) would at that moment:
    /// [`Error::RateLimited`](crate::Error::RateLimited) (the window is full, DingTalk
    /// throttles the robot, or Redis pacing fences it), or `Error::Redis` (Redis could
    /// not be asked). Nothing is sent without a slot.
    WaitAtMost(Duration),
    /// Fail at once with [`Error::RateLimited`](crate::Error::RateLimited), which says when a slot frees
    /// (and, with [`redis_pacing`](crate::RobotBuilder::redis_pacing), with `Error::Redis`
    /// when Redis cannot be asked).
    FailFast,
    /// No pacing: every send goes straight to the network (for benchmarks, or when
    /// something else paces).
    Off,
}

impl Pacing {
    /// The longest a send may wait for its slot: `None` for as long as it takes (and
    /// for `Off`, whose sends never ask), zero for `FailFast`.
    pub(crate) fn wait_limit(self) -> Option<Duration> {
        match self {
            Pacing::Wait | Pacing::Off => None,
            Pacing::WaitAtMost(limit) => Some(limit),
            Pacing::FailFast => Some(Duration::ZERO),
        }
    }
}
