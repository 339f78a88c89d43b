//! Configs that would leave the bridge useless are refused with their key and line: at
//! start (exit 2), and on reload (answered 500, the config in use kept, and
//! `dingbot_alertmanager_config_last_reload_successful 0`).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dingbot::mock::MockServer;

use crate::alertmanager_util::{self, Bridge, DINGBOT, config_for, fresh_dir, metric, wait_for};
use crate::{alert, notification};

const OPS: &str =
    "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=tok123\n";

/// A 180 KB file whose values, aliases expanded, are 2 GB.
fn alias_bomb() -> String {
    let anchor = "x".repeat(100_000);
    let aliases = vec!["*a"; 20_000].join(", ");
    format!("{OPS}templates: [&a '{anchor}', {aliases}]\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_useless_config_stops_the_start_with_its_key_and_line() {
    let dir = fresh_dir("useless-config");
    let path = dir.join("config.yml");
    let cases: Vec<(String, &[&str])> = vec![
        (String::new(), &["the file is empty", "targets"]),
        ("# nothing yet\n".into(), &["targets: no targets"]),
        // Cut short while it was written: the targets are not there yet.
        ("timeout: 5s\ntargets:\n".into(), &["targets: no targets"]),
        (
            "timeout: 5s\ntargets: {}\n".into(),
            &["targets: no targets", "at line 2 column 10"],
        ),
        (
            format!("{OPS}timeout: 0s\n"),
            &["timeout: \"0s\" is zero", "at line 4 column 10"],
        ),
        (
            format!("{OPS}drain_timeout: 0\n"),
            &["drain_timeout: ", "above zero", "at line 4 column 16"],
        ),
        (
            format!("{OPS}dedup_window: 0ms\n"),
            &["dedup_window: ", "above zero", "at line 4 column 15"],
        ),
        (
            format!("{OPS}    mention:\n      mobiles: ['13800000000 (oncall)']\n"),
            &[
                "targets.ops.mention.mobiles[0]: ",
                "is not a mobile number or user id",
                "at line 5 column 17",
            ],
        ),
        (
            format!("{OPS}    mention:\n      all: true\n      user_ids: [o'brien]\n"),
            &[
                "targets.ops.mention.user_ids[0]: ",
                "is not a mobile number or user id",
                "at line 6 column 18",
            ],
        ),
        (
            format!(
                "{OPS}  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=tok456\n"
            ),
            &["targets: `ops` is named twice", "at line 4 column 3"],
        ),
        (
            format!("timeout: 5s\n{OPS}timeout: 10s\n"),
            &["`timeout` is named twice", "at line 5 column 1"],
        ),
        (
            format!("{OPS}    url: https://oapi.dingtalk.com/robot/send?access_token=tok456\n"),
            &["targets.ops: `url` is named twice", "at line 4 column 5"],
        ),
        (alias_bomb(), &["templates[", "aliases", "at line 4 column"]),
    ];
    for (config, expected) in cases {
        std::fs::write(&path, &config).unwrap();
        let shown = &config[..config.len().min(200)];
        let (code, stderr) = refused_start(&path, shown);
        assert_eq!(code, Some(2), "{shown:?}: {stderr}");
        assert!(stderr.contains("config.yml"), "{stderr}");
        for part in expected {
            assert!(
                stderr.contains(part),
                "{part:?} not in {stderr} ({shown:?})"
            );
        }
        assert!(!stderr.contains("tok123"), "{stderr}");
    }
}

/// Starts the bridge on the config at `path`, which must stop it within 10 s: its exit
/// code and what it printed. A bridge still running then is killed, and the test fails.
fn refused_start(path: &std::path::Path, shown: &str) -> (Option<i32>, String) {
    let mut child = Command::new(DINGBOT)
        .args(["alertmanager", "--config"])
        .arg(path)
        .args(["--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the bridge started (or hung) on {shown:?} instead of refusing it");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_to_an_empty_or_truncated_file_keeps_the_targets() {
    let dir = fresh_dir("useless-reload");
    let server = MockServer::start().await.unwrap();
    let good = config_for(&server, "", "");
    let bridge = Bridge::start(&dir, &good, &[]);
    let http = alertmanager_util::http();
    let reload_successful = || async {
        metric(
            &bridge.metrics().await,
            "dingbot_alertmanager_config_last_reload_successful",
            &[],
        )
    };

    // Written in place by an editor or a deploy tool, read half-way: empty, then cut.
    for (i, (broken, expected)) in [
        (String::new(), "the file is empty"),
        ("timeout: 5s\ntargets:\n".to_owned(), "targets: no targets"),
        (format!("{good}timeout: 0s\n"), "timeout: \"0s\" is zero"),
    ]
    .into_iter()
    .enumerate()
    {
        std::fs::write(&bridge.config, &broken).unwrap();
        let answer = http
            .post(bridge.url("/-/reload"))
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 500, "{broken:?}");
        let error = answer.text().await.unwrap();
        assert!(error.contains(expected), "{expected:?} not in {error}");
        assert_eq!(reload_successful().await, 0.0);
        let name = format!("StillThere{i}");
        let (status, body) = bridge
            .notify(
                "ops",
                &notification(&name, vec![alert(&name, 1, serde_json::json!({}))]),
            )
            .await;
        assert_eq!(status, 200, "the old targets must stay: {body}");
        wait_for(&server, "the notification after the bad reload", |texts| {
            texts.iter().any(|t| t.contains(&format!("{name} on db-1")))
        })
        .await;
    }

    // SIGHUP to an empty file: refused as well.
    std::fs::write(&bridge.config, "").unwrap();
    bridge.signal("HUP");
    let deadline = Instant::now() + Duration::from_secs(10);
    while bridge.logs().matches("reload failed").count() < 4 {
        assert!(Instant::now() < deadline, "{}", bridge.logs());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, _) = bridge
        .notify(
            "ops",
            &notification(
                "AfterHup",
                vec![alert("AfterHup", 1, serde_json::json!({}))],
            ),
        )
        .await;
    assert_eq!(status, 200);

    // And a good file again is taken.
    std::fs::write(&bridge.config, &good).unwrap();
    let answer = http
        .post(bridge.url("/-/reload"))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(reload_successful().await, 1.0);
}
