//! A digest says, through `tracing`, what it held back and why, what it merged, and when
//! DingTalk throttled the robot — without ever logging the token or the secret.

mod emulator;

use std::io::Write;
use std::sync::{Arc, Mutex};

use dingbot::mock::MockServer;
use dingbot::{DigestConfig, Text};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_digest_reports_what_it_merged_and_delayed() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let secret = "SECtracing0123456789abc";
    let (_clock, server, robot) =
        emulator::pair(MockServer::builder().secret(secret), |robot| robot).await;
    server.throttle_now();
    let digest = robot.digest(DigestConfig::default()).unwrap();
    for i in 0..40 {
        digest.push(&Text::new(format!("alert {i}"))).unwrap();
    }
    let stats = digest.close().await;
    assert_eq!(stats.sent_alone + stats.merged, 40);

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("DingTalk throttled the robot"), "{log}");
    assert!(log.contains("holding"), "{log}");
    assert!(
        log.contains("merged a burst into summaries") && log.contains("events=40"),
        "{log}"
    );
    let token = server
        .webhook_url()
        .split("access_token=")
        .nth(1)
        .unwrap()
        .to_owned();
    assert!(
        !log.contains(&token) && !log.contains(secret),
        "a secret reached the log"
    );
}
