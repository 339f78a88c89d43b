//! A target with several robots in one group: three robots carry 60 notifications in a
//! minute where one robot carries 20; their webhooks and secrets given in the config,
//! through the environment and through files.

use dingbot::mock::MockServer;

use std::path::Path;

use crate::alertmanager_util::{Bridge, DINGBOT, fresh_dir};
use crate::notification;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_robots_carry_sixty_notifications_in_a_minute() {
    let dir = fresh_dir("robots");
    let mut servers = Vec::new();
    for i in 0..3 {
        let server = MockServer::builder()
            .token(format!("robotsgrouptoken{i}"))
            .secret(format!("SECrobotsgroupsecret{i}"))
            .start()
            .await
            .unwrap();
        servers.push(server);
    }
    std::fs::write(
        dir.join("third.url"),
        format!("{}\n", servers[2].webhook_url()),
    )
    .unwrap();
    std::fs::write(dir.join("third.secret"), "  SECrobotsgroupsecret2\n").unwrap();
    let config = format!(
        "targets:\n  ops:\n    robots:\n      - url: {}\n        secret: SECrobotsgroupsecret0\n      \
         - url_env: SECOND_WEBHOOK\n        secret_env: SECOND_SECRET\n      \
         - url_file: {}\n        secret_file: {}\n",
        servers[0].webhook_url(),
        dir.join("third.url").display(),
        dir.join("third.secret").display(),
    );
    let second = servers[1].webhook_url();
    let bridge = Bridge::start(
        &dir,
        &config,
        &[
            ("SECOND_WEBHOOK", &second),
            ("SECOND_SECRET", "SECrobotsgroupsecret1"),
        ],
    );
    for i in 0..60 {
        let (status, body) = bridge
            .notify(
                "ops",
                &notification(&format!("Burst{i}"), &format!("fp{i}")),
            )
            .await;
        assert_eq!(status, 200, "notification {i}: {body}");
    }
    for (i, server) in servers.iter().enumerate() {
        let codes: Vec<Option<i64>> = server.requests().iter().map(|r| r.errcode).collect();
        assert_eq!(
            codes,
            vec![Some(0); 20],
            "robot {i} carried 20, never throttled"
        );
    }
    // Every window is full now: without hold_dir, the next one is Alertmanager's again.
    let (status, body) = bridge.notify("ops", &notification("Burst60", "fp60")).await;
    assert_eq!(status, 503, "{body}");
    let logs = bridge.logs();
    for secret in ["SECrobotsgroupsecret", "robotsgrouptoken"] {
        assert!(!logs.contains(secret), "{secret} in the logs:\n{logs}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_robot_without_a_webhook_or_with_two_is_refused_at_its_line() {
    let dir = fresh_dir("robots-refused");
    let config = "targets:\n  ops:\n    robots:\n      - secret: SECabc\n";
    let said = refused(&dir, config);
    assert!(
        said.contains("targets.ops.robots[0]") && said.contains("no webhook"),
        "{said}"
    );
    std::fs::write(dir.join("url"), "tok").unwrap();
    let config = format!(
        "targets:\n  ops:\n    url: tok\n    url_file: {}\n",
        dir.join("url").display()
    );
    let said = refused(&dir, &config);
    assert!(
        said.contains("give `url` or `url_file`, not both"),
        "{said}"
    );
}

/// What the bridge says as it refuses to start on `config`.
fn refused(dir: &Path, config: &str) -> String {
    let path = dir.join("config.yml");
    std::fs::write(&path, config).unwrap();
    let out = std::process::Command::new(DINGBOT)
        .args(["alertmanager", "--config"])
        .arg(&path)
        .args(["--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    stderr
}
