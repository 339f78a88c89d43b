//! The setup most tests start from, written once: the emulator and a robot for it. The
//! robot signs with the emulator's secret, if it has one, and both go by one clock: a
//! manual one, unless a test asks for another, so back-offs, pacing and throttles take
//! no real time (the emulator's delays and the robot's timeout are real).
#![allow(dead_code)] // each test file uses a part of it

use dingbot::clock::Clock;
use dingbot::mock::{MockServer, MockServerBuilder};
use dingbot::{Robot, RobotBuilder, blocking};

/// An emulator started from `server` and a robot for it as `robot` builds it, on a
/// manual clock.
pub async fn pair(
    server: MockServerBuilder,
    robot: impl FnOnce(RobotBuilder) -> RobotBuilder,
) -> (Clock, MockServer, Robot) {
    let clock = Clock::manual();
    let (server, robot) = pair_on(clock.clone(), server, robot).await;
    (clock, server, robot)
}

/// [`pair`] on `clock`.
pub async fn pair_on(
    clock: Clock,
    server: MockServerBuilder,
    robot: impl FnOnce(RobotBuilder) -> RobotBuilder,
) -> (MockServer, Robot) {
    let server = server.clock(clock.clone()).start().await.unwrap();
    let robot = robot(robot_for(&server, clock)).build().unwrap();
    (server, robot)
}

/// [`pair`] with the emulator on a thread of its own, for a test without a runtime.
pub fn pair_on_thread(
    server: MockServerBuilder,
    robot: impl FnOnce(RobotBuilder) -> RobotBuilder,
) -> (Clock, MockServer, Robot) {
    let clock = Clock::manual();
    let server = server.clock(clock.clone()).start_blocking().unwrap();
    let robot = robot(robot_for(&server, clock.clone())).build().unwrap();
    (clock, server, robot)
}

/// [`pair_on_thread`] with a blocking robot, on `clock`.
pub fn blocking_pair_on(
    clock: Clock,
    server: MockServerBuilder,
    robot: impl FnOnce(blocking::RobotBuilder) -> blocking::RobotBuilder,
) -> (MockServer, blocking::Robot) {
    let server = server.clock(clock.clone()).start_blocking().unwrap();
    let mut builder = blocking::Robot::builder(server.webhook_url()).clock(clock);
    if let Some(secret) = server.secret() {
        builder = builder.secret(secret);
    }
    let robot = robot(builder).build().unwrap();
    (server, robot)
}

/// A robot for `server` on `clock`, signing with the server's secret.
fn robot_for(server: &MockServer, clock: Clock) -> RobotBuilder {
    let builder = Robot::builder(server.webhook_url()).clock(clock);
    match server.secret() {
        Some(secret) => builder.secret(secret),
        None => builder,
    }
}
