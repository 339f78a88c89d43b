//! `Robot::from_env`: DINGTALK_WEBHOOK and DINGTALK_SECRET. One test, so nothing else in
//! this process reads the environment while it changes.

use dingbot::mock::MockServer;
use dingbot::{Error, Robot, Text};

#[tokio::test]
async fn reads_webhook_and_secret() {
    let secret = "SECenv0123456789abcdef";
    let server = MockServer::builder().secret(secret).start().await.unwrap();
    // SAFETY: this test binary has a single test, so no other thread reads the
    // environment concurrently.
    unsafe {
        std::env::remove_var("DINGTALK_WEBHOOK");
        std::env::remove_var("DINGTALK_SECRET");
    }
    assert!(matches!(
        Robot::from_env(),
        Err(Error::MissingEnv {
            name: "DINGTALK_WEBHOOK"
        })
    ));

    unsafe {
        std::env::set_var("DINGTALK_WEBHOOK", server.webhook_url());
        std::env::set_var("DINGTALK_SECRET", secret);
    }
    let robot = Robot::from_env().unwrap();
    assert!(robot.webhook().is_signed());
    robot
        .send(&Text::new("from the environment"))
        .await
        .unwrap();
    assert_eq!(server.received().len(), 1);

    unsafe { std::env::set_var("DINGTALK_SECRET", "not-a-secret") };
    assert!(matches!(
        Robot::from_env(),
        Err(Error::InvalidSecret { .. })
    ));

    unsafe { std::env::set_var("DINGTALK_SECRET", "") };
    assert!(
        !Robot::from_env().unwrap().webhook().is_signed(),
        "an empty secret means none"
    );
}
