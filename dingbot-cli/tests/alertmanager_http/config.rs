//! Config files: a bad one stops the start with its key and line, and
//! prometheus-webhook-dingtalk's own file and flags work as they are.

use crate::alertmanager_util::{self, Bridge, DINGBOT, fresh_dir};
use crate::notification;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_config_stops_the_start_with_its_key_and_line() {
    let dir = fresh_dir("badconfig");
    let path = dir.join("config.yml");
    for (config, expected) in [
        (
            "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=tok123\n    secret: wrong-secret-value\n",
            "targets.ops.secret: invalid signing secret: a DingTalk signing secret starts with `SEC` at line 4 column 13",
        ),
        (
            "targets:\n  ops:\n    urll: x\n",
            "targets.ops: unknown field `urll`",
        ),
        (
            "timeout: 5 parsecs\n",
            "timeout: \"5 parsecs\" is not a duration; write it like 5s, 500ms, 1m30s or 2h at line 1 column 10",
        ),
    ] {
        std::fs::write(&path, config).unwrap();
        let out = std::process::Command::new(DINGBOT)
            .args(["alertmanager", "--config"])
            .arg(&path)
            .args(["--listen", "127.0.0.1:0"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{expected:?} not in {stderr}");
        assert!(stderr.contains("config.yml"), "{stderr}");
        assert!(
            !stderr.contains("wrong-secret-value") && !stderr.contains("tok123"),
            "{stderr}"
        );
    }
    let out = std::process::Command::new(DINGBOT)
        .args(["alertmanager", "--config.file"])
        .arg(dir.join("missing.yml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the config file"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_webhook_dingtalks_own_config_file_runs_as_it_is() {
    let dir = fresh_dir("dropin");
    let config = include_str!("../data/prometheus-webhook-dingtalk.yml");
    let bridge = Bridge::start(&dir, config, &[]);
    let answer = alertmanager_util::http()
        .get(bridge.url("/-/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let logs = bridge.logs();
    // Its Go templates are honoured: no warning, one line saying so.
    assert!(!logs.contains("cannot be honoured"), "{logs}");
    assert_eq!(
        logs.matches("messages are rendered by the config's Go templates")
            .count(),
        1,
        "{logs}"
    );
    assert!(
        logs.contains(
            "webhook1, webhook2, webhook_legacy, webhook_mention_all, webhook_mention_users"
        ),
        "{logs}"
    );
    // Its targets are there (an unknown one is not).
    let (status, _) = bridge.notify("nope", &notification("X", "x")).await;
    assert_eq!(status, 404);
    // The flags of prometheus-webhook-dingtalk's command line work too.
    let out = std::process::Command::new(DINGBOT)
        .args([
            "alertmanager",
            "--web.enable-lifecycle",
            "--config.file",
            "/nonexistent.yml",
            "--web.listen-address",
            ":0",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the config file"));
}
