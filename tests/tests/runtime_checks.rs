//! Runtimes that cannot do what is asked get an [`Error::Runtime`] saying what to
//! change, never a panic or a hang: an async robot on a Tokio runtime without timers or
//! IO, a blocking robot on a thread that runs async tasks.

use std::time::{Duration, Instant};

use dingbot::mock::MockServer;
use dingbot::{DigestConfig, Error, Robot, Text};
use tokio::runtime::Builder;

fn runtime_error(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::Runtime { message }) => message,
        other => panic!("expected Error::Runtime, got {other:?}"),
    }
}

#[test]
fn send_on_a_runtime_without_timers_says_to_enable_them() {
    let server = MockServer::start_blocking().unwrap();
    let robot = Robot::new(server.webhook_url()).unwrap();
    let runtime = Builder::new_current_thread().build().unwrap();

    let message = runtime_error(runtime.block_on(robot.send(&Text::new("x"))));
    assert!(message.contains("timers"), "{message}");
    assert!(
        message.contains("enable_time()") && message.contains("enable_all()"),
        "{message}"
    );
    let payload = dingbot::Payload::new(&Text::new("x")).unwrap();
    runtime_error(runtime.block_on(robot.send_payload(&payload)));
    assert!(server.requests().is_empty());
}

#[test]
fn send_on_a_runtime_without_io_says_to_enable_it() {
    let server = MockServer::start_blocking().unwrap();
    let robot = Robot::new(server.webhook_url()).unwrap();
    let runtime = Builder::new_current_thread().enable_time().build().unwrap();

    let message = runtime_error(runtime.block_on(robot.send(&Text::new("x"))));
    assert!(
        message.contains("enable_io()") && message.contains("enable_all()"),
        "{message}"
    );
    assert!(server.requests().is_empty());
    // The robot is fine on a runtime that has both.
    let full = Builder::new_current_thread().enable_all().build().unwrap();
    full.block_on(robot.send(&Text::new("x"))).unwrap();
    assert_eq!(server.received().len(), 1);
}

#[test]
fn a_digest_on_a_runtime_without_timers_says_to_enable_them() {
    let robot = Robot::new("token").unwrap();
    let runtime = Builder::new_current_thread().build().unwrap();
    let message = runtime_error(runtime.block_on(async { robot.digest(DigestConfig::default()) }));
    assert!(
        message.contains("Robot::digest") && message.contains("enable_time()"),
        "{message}"
    );
    let _entered = runtime.enter();
    runtime_error(robot.digest(DigestConfig::default()));
}

#[tokio::test]
async fn a_blocking_robot_in_async_code_fails_at_once() {
    let server = MockServer::start().await.unwrap();
    let robot = dingbot::blocking::Robot::new(server.webhook_url()).unwrap();
    let start = Instant::now();

    let message = runtime_error(robot.send(&Text::new("from async code")));
    assert!(
        message.contains("async") && message.contains("dingbot::Robot"),
        "{message}"
    );
    let digest = robot.digest(DigestConfig::default()).unwrap();
    digest.push(&Text::new("held")).unwrap();
    assert!(runtime_error(digest.flush()).contains("Digest::flush"));
    assert!(runtime_error(digest.clone().close()).contains("Digest::close"));

    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    // The refused send never reached the network (the pushed event may, from the
    // digest's own runtime).
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.body_text().contains("from async code"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocking_robot_on_a_worker_thread_fails_at_once() {
    let server = MockServer::start().await.unwrap();
    let robot = dingbot::blocking::Robot::new(server.webhook_url()).unwrap();
    runtime_error(robot.send(&Text::new("from a worker thread")));
    assert!(server.requests().is_empty());
}

#[test]
fn a_blocking_robot_may_block_a_thread_that_only_entered_a_runtime() {
    let server = MockServer::start_blocking().unwrap();
    let robot = dingbot::blocking::Robot::new(server.webhook_url()).unwrap();
    let runtime = Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let _entered = runtime.enter();
    robot.send(&Text::new("from a plain thread")).unwrap();
    assert_eq!(server.received().len(), 1);
}
