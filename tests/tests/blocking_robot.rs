//! `dingbot::blocking::Robot`: the same surface without `.await`.

mod emulator;

use dingbot::blocking::Robot;
use dingbot::clock::Clock;
use dingbot::mock::{Fault, MockServer};
use dingbot::{Error, Markdown, RetryPolicy, Text};

const SECRET: &str = "SECblocking0123456789abc";

/// A signing emulator on its own thread, and a blocking robot for it with `retry`, on
/// the system clock.
fn signed_pair(retry: RetryPolicy) -> (MockServer, Robot) {
    emulator::blocking_pair_on(
        Clock::system(),
        MockServer::builder().secret(SECRET),
        |robot| robot.retry(retry),
    )
}

#[test]
fn sends_and_reports_like_the_async_robot() {
    let (server, robot) = signed_pair(RetryPolicy::default());

    let sent = robot
        .send(&Markdown::new("Backup", "#### Backup done").at_mobiles(["13800000000"]))
        .unwrap();
    assert_eq!(sent.attempts, 1);
    assert_eq!(
        server.received()[0].body(),
        Some("#### Backup done\n\n@13800000000")
    );

    let wrong = Robot::builder(server.webhook_url())
        .secret("SECwrong")
        .build()
        .unwrap();
    assert!(matches!(
        wrong.send(&Text::new("x")),
        Err(Error::SignatureMismatch { .. })
    ));
    assert!(matches!(
        robot.send(&Text::new("")),
        Err(Error::InvalidMessage { .. })
    ));
}

#[test]
fn retries_too() {
    let (server, robot) = signed_pair(RetryPolicy::default().backoff(
        std::time::Duration::from_millis(1),
        std::time::Duration::from_millis(5),
    ));
    server.inject(Fault::Status(500), 2);
    let sent = robot.send(&Text::new("x")).unwrap();
    assert_eq!(sent.attempts, 3);
    assert_eq!(server.received().len(), 1);
}

#[test]
fn many_threads_share_one_robot() {
    let (server, robot) = signed_pair(RetryPolicy::default());
    std::thread::scope(|s| {
        for t in 0..4 {
            let robot = robot.clone();
            s.spawn(move || {
                for i in 0..4 {
                    robot.send(&Text::new(format!("thread {t} #{i}"))).unwrap();
                }
            });
        }
    });
    assert_eq!(server.received().len(), 16);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_from_spawn_blocking_inside_an_async_program() {
    let server = MockServer::start().await.unwrap();
    let url = server.webhook_url();
    let sent = tokio::task::spawn_blocking(move || {
        let robot = Robot::new(&url)?;
        let digest = robot.digest(dingbot::DigestConfig::default())?;
        digest.push(&Text::new("from a digest"))?;
        digest.close()?;
        robot.send(&Text::new("from spawn_blocking"))
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(sent.attempts, 1);
    assert_eq!(server.received().len(), 2);
}

#[test]
fn a_blocking_digest_merges_a_storm() {
    let (server, robot) =
        emulator::blocking_pair_on(Clock::manual(), MockServer::builder(), |robot| robot);
    let digest = robot.digest(dingbot::DigestConfig::default()).unwrap();
    for i in 0..300 {
        digest.push(&Text::new(format!("job {i} failed"))).unwrap();
    }
    let stats = digest.close().unwrap();
    assert_eq!(stats.sent_alone + stats.merged, 300);
    assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
    let text: String = server
        .received()
        .iter()
        .map(|m| m.body().unwrap_or("").to_owned())
        .collect();
    assert!((0..300).all(|i| text.contains(&format!("job {i} failed"))));
}

#[test]
fn dropping_a_blocking_digest_and_robot_still_delivers() {
    let server = MockServer::start_blocking().unwrap();
    let robot = Robot::new(server.webhook_url()).unwrap();
    // Not gathered: each event goes out alone while the window has room.
    let config = dingbot::DigestConfig::default().gather(std::time::Duration::ZERO);
    let digest = robot.digest(config).unwrap();
    for i in 0..5 {
        digest.push(&Text::new(format!("e{i}"))).unwrap();
    }
    drop(digest);
    drop(robot);
    for _ in 0..300 {
        if server.received().len() == 5 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!(
        "held events were lost: {} received",
        server.received().len()
    );
}

/// The mistake of a program that starts a runtime with `block_on` (as `#[tokio::main]`
/// does) and sends from it with the blocking robot: the send is refused with an error that
/// names the async robot, instead of blocking the runtime's only thread until the
/// request times out.
#[test]
fn inside_block_on_a_send_is_refused_and_names_the_async_robot() {
    let server = MockServer::start_blocking().unwrap();
    let robot = Robot::builder(server.webhook_url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let refused = runtime.block_on(async {
        (
            robot.send(&Text::new("from block_on")),
            robot.send(&Markdown::new("t", "from block_on too")),
        )
    });
    for result in [refused.0, refused.1] {
        let err = result.unwrap_err();
        assert!(matches!(err, Error::Runtime { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.contains("dingbot::Robot") && message.contains(".await"),
            "{message}"
        );
    }
    assert!(server.requests().is_empty());
    // Outside the runtime the same robot sends.
    robot.send(&Text::new("after block_on")).unwrap();
    assert_eq!(server.received().len(), 1);
}
