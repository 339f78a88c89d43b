//! [`Pacing`]: what a send does when the robot may not send right now.

/// What a send does when the robot may not send right now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pacing {
    /// Wait (asynchronously) for a slot, or for the throttle to end — or, with
    /// [`redis_pacing`](crate::RobotBuilder::redis_pacing), for Redis to answer again.
    /// The default.
    #[default]
    Wait,
    /// Fail at once with [`Error::RateLimited`](crate::Error::RateLimited), which says when a slot frees
    /// (and, with [`redis_pacing`](crate::RobotBuilder::redis_pacing), with `Error::Redis`
    /// when Redis cannot be asked).
    FailFast,
    /// No pacing: every send goes straight to the network (for benchmarks, or when
    /// something else paces).
    Off,
}
