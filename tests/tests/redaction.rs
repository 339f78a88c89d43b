//! The access token and the secret never appear in `Debug` output or in any error.

mod emulator;

use std::time::Duration;

use dingbot::mock::{ErrmsgStyle, Fault, MockServer};
use dingbot::{Error, RetryPolicy, Robot, Text, Webhook};

const TOKEN: &str = "tokSECRETTOKEN0123456789";
const SECRET: &str = "SECSECRETSECRET0123456789";

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(TOKEN), "{what} shows the token: {text}");
    assert!(!text.contains(SECRET), "{what} shows the secret: {text}");
    assert!(
        !text.contains("SECRETTOKEN") && !text.contains("SECRETSECRET"),
        "{what}: {text}"
    );
}

fn assert_error_clean(err: &Error) {
    assert_clean("Display", &err.to_string());
    assert_clean("Debug", &format!("{err:?}"));
    assert_clean("Debug (pretty)", &format!("{err:#?}"));
}

#[tokio::test]
async fn debug_output_is_redacted() {
    let server = MockServer::builder()
        .token(TOKEN)
        .secret(SECRET)
        .start()
        .await
        .unwrap();
    let robot = Robot::builder(server.webhook_url())
        .secret(SECRET)
        .build()
        .unwrap();
    assert_clean("Robot", &format!("{robot:?} {robot:#?}"));
    assert_clean("Webhook", &format!("{:?}", robot.webhook()));
    assert_clean("MockServer", &format!("{server:?}"));
    let builder = Robot::builder(server.webhook_url()).secret(SECRET);
    assert_clean("RobotBuilder", &format!("{builder:?}"));
    let blocking = dingbot::blocking::Robot::try_from(robot.clone()).unwrap();
    assert_clean("blocking::Robot", &format!("{blocking:?}"));
}

#[tokio::test]
async fn every_error_is_redacted() {
    let fast = RetryPolicy::default().max_attempts(2);
    let (clock, server, robot) = emulator::pair(
        MockServer::builder()
            .token(TOKEN)
            .secret(SECRET)
            .keyword("kw"),
        |robot| {
            robot
                .retry(fast.clone())
                .timeout(Duration::from_millis(300))
        },
    )
    .await;
    let url = server.webhook_url();
    let mut errors = Vec::new();

    errors.push(robot.send(&Text::new("no keyword")).await.unwrap_err());
    for fault in [
        Fault::Status(503),
        Fault::Html,
        Fault::Redirect,
        Fault::DropConnection,
        Fault::Delay(Duration::from_millis(800)),
        Fault::Errcode(-1, format!("busy, token {TOKEN}")),
        Fault::Errcode(123, format!("echo {SECRET}")),
    ] {
        server.inject(fault.clone(), 2);
        errors.push(robot.send(&Text::new("kw")).await.unwrap_err());
        server.reset();
    }
    let wrong = Robot::builder(&url)
        .secret("SECwrong")
        .retry(fast)
        .clock(clock.clone())
        .build()
        .unwrap();
    errors.push(wrong.send(&Text::new("kw")).await.unwrap_err());
    let unsigned = Robot::builder(&url).clock(clock).build().unwrap();
    errors.push(unsigned.send(&Text::new("kw")).await.unwrap_err());
    errors.push(
        Robot::builder(url.replace("127.0.0.1", "example.com"))
            .build()
            .unwrap_err(),
    );
    errors.push(
        Robot::builder(TOKEN)
            .secret(SECRET.replace("SEC", "sec"))
            .build()
            .unwrap_err(),
    );
    errors.push(Webhook::parse(&format!("{TOKEN}!")).unwrap_err());

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = Robot::builder(format!(
        "http://127.0.0.1:{port}/robot/send?access_token={TOKEN}"
    ))
    .secret(SECRET)
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    errors.push(dead.send(&Text::new("x")).await.unwrap_err());

    assert_eq!(errors.len(), 14);
    for err in &errors {
        assert_error_clean(err);
    }
}

#[tokio::test]
async fn current_style_errors_are_redacted_too() {
    let server = MockServer::builder()
        .token(TOKEN)
        .secret(SECRET)
        .errmsg_style(ErrmsgStyle::Current)
        .start()
        .await
        .unwrap();
    let robot = Robot::builder(server.webhook_url())
        .secret("SECwrong")
        .build()
        .unwrap();
    assert_error_clean(&robot.send(&Text::new("x")).await.unwrap_err());
}
