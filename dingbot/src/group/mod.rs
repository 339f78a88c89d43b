//! [`RobotGroup`]: one DingTalk group reached by several robots, each with its own
//! webhook, secret and window; `choose.rs` picks the robot for each send.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use crate::client::{Robot, Sent, runtime};
use crate::clock::Clock;
use crate::error::Error;
use crate::keywords::Keywords;
use crate::message::DingMessage;
use crate::pace::{Pacing, Permit};
use crate::payload::Payload;

mod choose;

/// One DingTalk group reached by several robots, to carry more than one robot's 20
/// messages a minute.
///
/// DingTalk's limit is per robot, not per group: a group with three robots takes 60
/// messages a minute. A `RobotGroup` holds the robots (each with its webhook, its secret
/// and its own pacing window, in this process or in Redis as
/// [`RobotBuilder::redis_pacing`](crate::RobotBuilder::redis_pacing) sets it) and offers
/// what a [`Robot`] offers: [`send`](Self::send), [`send_payload`](Self::send_payload)
/// and [`digest`](Self::digest). Each send takes the robot whose window has a slot free
/// (the robots take turns while several have one), or else the one whose window frees
/// first. When DingTalk throttles one robot (130101), that robot sits the throttle out
/// and its sends move to the others, with the same `msgUuid`; only when every robot is
/// throttled or full does a send wait, as the robots' [`Pacing`] says.
///
/// The robots must agree on what is not per robot: their pacing policy, their clock and
/// their keywords (the group's messages are checked once, for all of them); and they must
/// be different robots (two for one access token would share one window and add
/// nothing). [`RobotGroup::new`] refuses them otherwise. Retries of a failed attempt
/// stay with the robot that made it (its [`RetryPolicy`](crate::RetryPolicy)).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use dingbot::{Robot, RobotGroup, Text, clock::Clock, mock::MockServer};
///
/// let clock = Clock::manual(); // minutes pass in milliseconds
/// let mut servers = Vec::new(); // three robots, one emulator each
/// let mut robots = Vec::new();
/// for _ in 0..3 {
///     let server = MockServer::builder().clock(clock.clone()).start().await?;
///     robots.push(Robot::builder(server.webhook_url()).clock(clock.clone()).build()?);
///     servers.push(server);
/// }
/// let group = RobotGroup::new(robots)?;
/// let start = clock.now();
/// for i in 0..60 {
///     group.send(&Text::new(format!("event {i}"))).await?;
/// }
/// assert!(clock.now() - start < std::time::Duration::from_secs(60));
/// assert!(servers.iter().all(|s| s.requests().len() == 20));
/// # Ok(()) }
/// ```
///
/// Cheap to clone (clones share the robots and their turn) and `Send + Sync`; its
/// `Debug` never shows a token or a secret.
#[derive(Clone)]
pub struct RobotGroup {
    inner: Arc<Inner>,
}

struct Inner {
    robots: Vec<Robot>,
    /// Where the next probe starts, so robots with free slots take turns.
    next: AtomicUsize,
    /// One waiter at a time looks for a slot while none is free (the others queue in
    /// order), so a freed slot goes to the oldest waiter and not to a herd.
    turn: tokio::sync::Mutex<()>,
}

impl fmt::Debug for RobotGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RobotGroup")
            .field("robots", &self.inner.robots)
            .finish_non_exhaustive()
    }
}

impl From<Robot> for RobotGroup {
    /// A group of one robot, which sends exactly as the robot does.
    fn from(robot: Robot) -> RobotGroup {
        RobotGroup::of(vec![robot])
    }
}

impl RobotGroup {
    /// A group of these robots, in this order (the first is asked first).
    ///
    /// Refused when there is none ([`Error::InvalidWebhook`]), when two are for one
    /// access token ([`Error::InvalidWebhook`]), when their pacing policies or clocks
    /// differ ([`Error::PacingConflict`]), or when their keywords differ
    /// ([`Error::InvalidKeywords`]).
    pub fn new(robots: impl IntoIterator<Item = Robot>) -> Result<RobotGroup, Error> {
        let robots: Vec<Robot> = robots.into_iter().collect();
        let Some(first) = robots.first() else {
            return Err(Error::InvalidWebhook {
                reason: "a robot group needs at least one robot".into(),
            });
        };
        for (i, robot) in robots.iter().enumerate().skip(1) {
            let n = i + 1;
            if let Some(j) = robots[..i]
                .iter()
                .position(|other| other.webhook().pacing_key() == robot.webhook().pacing_key())
            {
                return Err(Error::InvalidWebhook {
                    reason: format!(
                        "robots {} and {n} of the group are one robot (one access token): a \
                         group carries more only with different robots",
                        j + 1
                    ),
                });
            }
            if robot.pacing() != first.pacing()
                || robot.clock().identity() != first.clock().identity()
            {
                return Err(Error::PacingConflict {
                    message: format!(
                        "robot {n} of the group paces by another policy or clock than robot 1: \
                         a group's robots wait alike"
                    ),
                });
            }
            if robot.keywords() != first.keywords() {
                return Err(Error::InvalidKeywords {
                    reason: format!(
                        "robot {n} of the group has other keywords than robot 1: a group's \
                         messages are checked once, for all of its robots"
                    ),
                });
            }
        }
        Ok(RobotGroup::of(robots))
    }

    /// A group of `robots` (at least one), unchecked.
    fn of(robots: Vec<Robot>) -> RobotGroup {
        RobotGroup {
            inner: Arc::new(Inner {
                robots,
                next: AtomicUsize::new(0),
                turn: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The group's robots, in order.
    pub fn robots(&self) -> &[Robot] {
        &self.inner.robots
    }

    fn first(&self) -> &Robot {
        // `new` and `of` never make a group without a robot.
        &self.inner.robots[0]
    }

    /// The clock the robots sign and wait by.
    pub fn clock(&self) -> &Clock {
        self.first().clock()
    }

    /// The robots' pacing policy.
    pub fn pacing(&self) -> Pacing {
        self.first().pacing()
    }

    /// The robots' keywords (empty when none are set).
    pub fn keywords(&self) -> &[String] {
        self.first().keywords()
    }

    pub(crate) fn keyword_rule(&self) -> &Keywords {
        self.first().keyword_rule()
    }

    /// Sends a message through the robot whose window has room first (see
    /// [`Robot::send`] for what a send does).
    pub async fn send<M: DingMessage + ?Sized>(&self, msg: &M) -> Result<Sent, Error> {
        runtime::check_async("RobotGroup::send")?;
        let payload = self.first().payload_for(msg)?;
        self.send_paced(&payload, self.pacing()).await
    }

    /// Sends an already encoded [`Payload`] (its `msgUuid` is kept by every attempt, on
    /// whichever robot).
    pub async fn send_payload(&self, payload: &Payload) -> Result<Sent, Error> {
        runtime::check_async("RobotGroup::send_payload")?;
        self.first().check_payload_keywords(payload)?;
        self.send_paced(payload, self.pacing()).await
    }

    /// Sends with `pacing`: through a slot of the robot [`acquire`](Self::acquire)
    /// chooses; when DingTalk throttles that robot, through another one.
    pub(crate) async fn send_paced(
        &self,
        payload: &Payload,
        pacing: Pacing,
    ) -> Result<Sent, Error> {
        let slot = self.acquire(pacing, Some(payload)).await?;
        self.send_in(payload, slot, pacing).await
    }

    /// Sends with a slot already taken; a retry on the same robot waits for a slot of
    /// its own, and a throttle moves the send to another robot.
    pub(crate) async fn send_with_slot(
        &self,
        payload: &Payload,
        slot: Slot,
    ) -> Result<Sent, Error> {
        self.send_in(payload, slot, Pacing::Wait).await
    }

    async fn send_in(
        &self,
        payload: &Payload,
        mut slot: Slot,
        pacing: Pacing,
    ) -> Result<Sent, Error> {
        let robots = &self.inner.robots;
        // Each robot can be throttled once: past that, the throttle is the answer.
        let mut moves = robots.len();
        loop {
            let robot = &robots[slot.robot];
            let result = robot.send_from(payload, pacing, Some(slot.permit)).await;
            match result {
                Err(err) if err.is_throttled() && moves > 1 => {
                    moves -= 1;
                    tracing::warn!(
                        msg_uuid = payload.msg_uuid(),
                        robot = slot.robot + 1,
                        robots = robots.len(),
                        "dingbot: DingTalk throttled one robot of the group; sending through another"
                    );
                    slot = self.acquire(pacing, Some(payload)).await?;
                }
                other => return other,
            }
        }
    }
}

/// A slot in the window of one of the group's robots.
pub(crate) struct Slot {
    robot: usize,
    permit: Permit,
}

impl Slot {
    /// How many more sends that robot could make at once when the slot was granted.
    pub(crate) fn free_slots(&self) -> usize {
        self.permit.free_slots()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + Clone>() {}

    #[test]
    fn group_is_send_sync_clone() {
        assert_send_sync::<RobotGroup>();
    }

    #[test]
    fn a_group_refuses_what_cannot_work() {
        assert!(matches!(
            RobotGroup::new(Vec::new()),
            Err(Error::InvalidWebhook { .. })
        ));
        let twice = [
            Robot::new("group-tok-a").unwrap(),
            Robot::new("group-tok-a").unwrap(),
        ];
        assert!(matches!(
            RobotGroup::new(twice),
            Err(Error::InvalidWebhook { .. })
        ));
        let keywords = [
            Robot::new("group-tok-b").unwrap(),
            Robot::builder("group-tok-c")
                .keywords(["告警"])
                .build()
                .unwrap(),
        ];
        assert!(matches!(
            RobotGroup::new(keywords),
            Err(Error::InvalidKeywords { .. })
        ));
        let clocks = [
            Robot::new("group-tok-d").unwrap(),
            Robot::builder("group-tok-e")
                .clock(Clock::manual())
                .build()
                .unwrap(),
        ];
        assert!(matches!(
            RobotGroup::new(clocks),
            Err(Error::PacingConflict { .. })
        ));
    }

    #[test]
    fn debug_hides_tokens_and_secrets() {
        let group = RobotGroup::new([
            Robot::builder("GROUPSECRETTOKEN1")
                .secret("SECGROUPSECRET")
                .build()
                .unwrap(),
            Robot::new("GROUPSECRETTOKEN2").unwrap(),
        ])
        .unwrap();
        let dbg = format!("{group:?}");
        assert!(!dbg.contains("GROUPSECRET"), "{dbg}");
    }
}
