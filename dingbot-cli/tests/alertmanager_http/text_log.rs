//! The text log shows what a request carried without letting it act on the terminal: a
//! target name from the URL and serde's error quoting the body come out escaped.

use std::time::Duration;

use dingbot::mock::MockServer;

use crate::alertmanager_util::{self, Bridge, config_for, fresh_dir};
use crate::notification;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn target_names_and_serde_errors_are_logged_escaped() {
    let dir = fresh_dir("text-log");
    let server = MockServer::start().await.unwrap();
    let bridge = Bridge::start(&dir, &config_for(&server, "", ""), &[]);
    let http = alertmanager_util::http();

    // A target name that decodes to an OSC title, a bell, a right-to-left override and
    // a line of its own.
    let (status, _) = bridge
        .notify(
            "%1B%5D0%3Bpwned%07%E2%80%AE%0Alevel%3Derror%20forged",
            &notification("DiskFull", "t1"),
        )
        .await;
    assert_eq!(status, 404);
    // A status serde quotes in its error.
    let answer = http
        .post(bridge.url("/dingtalk/ops/send"))
        .header("content-type", "application/json")
        .body(r#"{"status":"\u001b[2J\u009b31m\u202e\nlevel=error forged","version":"4"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);

    tokio::time::sleep(Duration::from_millis(300)).await;
    let logs = bridge.logs();
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!logs.contains(c), "{c:?} logged as it is:\n{logs:?}");
    }
    assert!(
        !logs
            .lines()
            .any(|line| line.starts_with("level=error forged")),
        "a forged line:\n{logs}"
    );
    assert!(
        logs.contains(r"\u{1b}[2J\u{9b}31m\u{202e}\nlevel=error forged"),
        "serde's error, escaped:\n{logs}"
    );
}
