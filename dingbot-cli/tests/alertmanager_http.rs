//! `dingbot alertmanager` as a server, started as the built binary: its endpoints, what
//! it answers, reloads (file and SIGHUP), bad configs, prometheus-webhook-dingtalk's own
//! config file, secrets kept out of everything it shows, and the drain on SIGTERM.
//! Notifications are posted as Alertmanager posts them; the group is the emulator.

mod alertmanager_util;

use std::time::Duration;

use alertmanager_util::{Bridge, DINGBOT, config_for, fresh_dir, metric, texts, wait_for};
use dingbot::Rate;
use dingbot::mock::{Fault, MockServer};
use serde_json::{Value, json};

/// A notification as Alertmanager sends it: one firing alert named `name`.
fn notification(name: &str, fingerprint: &str) -> Value {
    json!({
        "version": "4",
        "groupKey": format!("{{}}:{{alertname=\"{name}\"}}"),
        "truncatedAlerts": 0,
        "status": "firing",
        "receiver": "dingtalk",
        "groupLabels": {"alertname": name},
        "commonLabels": {"alertname": name, "severity": "warning"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.example:9093",
        "alerts": [{
            "status": "firing",
            "labels": {"alertname": name, "severity": "warning", "instance": "db-1"},
            "annotations": {"summary": format!("{name} on db-1")},
            "startsAt": "2026-12-01T11:44:54Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.example:9090/graph",
            "fingerprint": fingerprint
        }]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoints_answer_as_prometheus_webhook_dingtalk_and_resends_post_once() {
    let dir = fresh_dir("endpoints");
    let server = MockServer::start().await.unwrap();
    let bridge = Bridge::start(&dir, &config_for(&server, "", ""), &[]);
    let http = alertmanager_util::http();

    for path in ["/-/healthy", "/-/ready"] {
        let answer = http.get(bridge.url(path)).send().await.unwrap();
        assert_eq!(answer.status(), 200, "{path}");
    }
    let (status, body) = bridge.notify("nope", &notification("DiskFull", "a1")).await;
    assert_eq!(status, 404);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("no target named \"nope\"; the config has: ops"),
        "{body}"
    );
    let answer = http
        .post(bridge.url("/dingtalk/ops/send"))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    assert!(
        answer
            .text()
            .await
            .unwrap()
            .contains("not an Alertmanager webhook notification")
    );

    let (status, body) = bridge.notify("ops", &notification("DiskFull", "a1")).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("delivered")),
        "{body}"
    );
    // Alertmanager sends the same notification again (a retry, a second replica): posted once.
    let (status, body) = bridge.notify("ops", &notification("DiskFull", "a1")).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("duplicate")),
        "{body}"
    );
    // Another alert in the group is another notification.
    let (status, body) = bridge.notify("ops", &notification("DiskFull", "b2")).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("delivered")),
        "{body}"
    );
    assert_eq!(server.received().len(), 2);

    // DingTalk refuses for good (here: a keyword the robot demands): 500, and the reason.
    server.inject(Fault::Errcode(310000, "关键词不匹配".into()), 1);
    let (status, body) = bridge.notify("ops", &notification("Refused", "c3")).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (500, Some("refused")),
        "{body}"
    );

    let metrics = bridge.metrics().await;
    assert!(metrics.starts_with("# HELP"), "{metrics}");
    for (name, labels, value) in [
        (
            "dingbot_alertmanager_notifications_received_total",
            vec!["target=\"ops\"", "status=\"firing\""],
            4.0,
        ),
        (
            "dingbot_alertmanager_alerts_received_total",
            vec!["status=\"firing\""],
            4.0,
        ),
        (
            "dingbot_alertmanager_notifications_total",
            vec!["outcome=\"delivered\""],
            2.0,
        ),
        (
            "dingbot_alertmanager_notifications_total",
            vec!["outcome=\"duplicate\""],
            1.0,
        ),
        (
            "dingbot_alertmanager_notifications_total",
            vec!["outcome=\"refused\""],
            1.0,
        ),
        (
            "dingbot_alertmanager_messages_sent_total",
            vec!["target=\"ops\""],
            2.0,
        ),
        (
            "dingbot_alertmanager_messages_failed_total",
            vec!["errcode=\"310000\""],
            1.0,
        ),
        (
            "dingbot_alertmanager_delivery_seconds_count",
            vec!["target=\"ops\""],
            2.0,
        ),
        (
            "dingbot_alertmanager_held_messages",
            vec!["target=\"ops\""],
            0.0,
        ),
    ] {
        assert_eq!(
            metric(&metrics, name, &labels),
            value,
            "{name} {labels:?} in\n{metrics}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_by_request_and_by_sighup_and_a_bad_reload_keeps_the_config() {
    let dir = fresh_dir("reload");
    let server = MockServer::start().await.unwrap();
    let other = MockServer::start().await.unwrap();
    let bridge = Bridge::start(&dir, &config_for(&server, "", ""), &[]);
    let http = alertmanager_util::http();

    let with_b = format!(
        "{}  b:\n    url: {}\n",
        config_for(&server, "", ""),
        other.webhook_url()
    );
    std::fs::write(&bridge.config, &with_b).unwrap();
    let answer = http.post(bridge.url("/-/reload")).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let (status, _) = bridge.notify("b", &notification("OnB", "b1")).await;
    assert_eq!(status, 200);
    assert_eq!(other.received().len(), 1);

    // A broken file: the error names the key and the line, the old config stays.
    std::fs::write(&bridge.config, format!("{with_b}  c:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n    secret: not-a-secret\n")).unwrap();
    let answer = http.post(bridge.url("/-/reload")).send().await.unwrap();
    assert_eq!(answer.status(), 500);
    let error = answer.text().await.unwrap();
    assert!(
        error.contains("targets.c.secret: invalid signing secret"),
        "{error}"
    );
    assert!(error.contains(" at line 8 column 13"), "{error}");
    assert!(!error.contains("not-a-secret"), "{error}");
    let (status, _) = bridge.notify("b", &notification("StillOnB", "b2")).await;
    assert_eq!(status, 200, "the old config must stay in use");
    let metrics = bridge.metrics().await;
    assert_eq!(
        metric(
            &metrics,
            "dingbot_alertmanager_config_last_reload_successful",
            &[]
        ),
        0.0
    );
    assert_eq!(
        metric(
            &metrics,
            "dingbot_alertmanager_config_reloads_total",
            &["result=\"failure\""]
        ),
        1.0
    );

    // Another pacing window for a robot in use cannot be swapped in: a restart can.
    std::fs::write(&bridge.config, format!("{with_b}rate: 10/1m\n")).unwrap();
    let answer = http.post(bridge.url("/-/reload")).send().await.unwrap();
    assert_eq!(answer.status(), 500);
    let error = answer.text().await.unwrap();
    assert!(error.contains("restart the bridge to change it"), "{error}");

    // SIGHUP: target b goes away, target c (on the first emulator) comes.
    std::fs::write(
        &bridge.config,
        format!(
            "{}  c:\n    url: {}\n",
            config_for(&server, "", ""),
            server.webhook_url()
        ),
    )
    .unwrap();
    bridge.signal("HUP");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (status, _) = bridge.notify("c", &notification("OnC", "c1")).await;
        if status == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "SIGHUP did not reload: {}",
            bridge.logs()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, _) = bridge.notify("b", &notification("OnB", "b3")).await;
    assert_eq!(status, 404);
    let metrics = bridge.metrics().await;
    assert_eq!(
        metric(
            &metrics,
            "dingbot_alertmanager_config_last_reload_successful",
            &[]
        ),
        1.0
    );
    assert!(
        bridge
            .logs()
            .contains("reload failed; keeping the config in use")
    );
}

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
    let config = include_str!("data/prometheus-webhook-dingtalk.yml");
    let bridge = Bridge::start(&dir, config, &[]);
    let answer = alertmanager_util::http()
        .get(bridge.url("/-/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let logs = bridge.logs();
    let warnings: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("Go templates cannot be honoured"))
        .collect();
    assert_eq!(warnings.len(), 1, "one warning: {logs}");
    assert!(
        warnings[0].contains("targets.webhook_legacy.message"),
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_appear_in_logs_metrics_or_answers() {
    let dir = fresh_dir("secrets");
    let secret = "SECthisisthesigningsecret0123456789";
    let server = MockServer::builder()
        .secret(secret)
        .token("tokensecretvalue42")
        .start()
        .await
        .unwrap();
    let webhook = server.webhook_url();
    let config = "targets:\n  ops:\n    url_env: OPS_WEBHOOK\n    secret_env: OPS_SECRET\n  wrong:\n    url_env: OPS_WEBHOOK\n    secret: SECthewrongsecretvalue\n";
    let bridge = Bridge::start(
        &dir,
        config,
        &[("OPS_WEBHOOK", &webhook), ("OPS_SECRET", secret)],
    );

    let (status, body) = bridge.notify("ops", &notification("Signed", "s1")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        server.received().len(),
        1,
        "signed with the secret from the environment"
    );
    // A wrong secret: DingTalk refuses, and nothing shown holds a secret.
    let (status, body) = bridge.notify("wrong", &notification("Signed", "s2")).await;
    assert_eq!(status, 500, "{body}");
    let shown = format!("{body}\n{}\n{}", bridge.metrics().await, bridge.logs());
    for secret in [secret, "SECthewrongsecretvalue", "tokensecretvalue42"] {
        assert!(!shown.contains(secret), "{secret} shown in:\n{shown}");
    }
    assert!(shown.contains("signature"), "the refusal says why: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_delivers_what_is_held_and_logs_what_it_could_not() {
    let dir = fresh_dir("drain");
    // Two messages per 3 s: the third notification is held.
    let rate = Rate::new(2, Duration::from_secs(3));
    let server = MockServer::builder()
        .rate_limit(rate)
        .start()
        .await
        .unwrap();
    let mut bridge = Bridge::start(
        &dir,
        &config_for(&server, "", &format!("rate: {rate}\ndrain_timeout: 20s\n")),
        &[],
    );
    let mut outcomes = Vec::new();
    for i in 0..5 {
        let (status, body) = bridge
            .notify("ops", &notification(&format!("Held{i}"), &format!("h{i}")))
            .await;
        assert_eq!(status, 200, "{body}");
        outcomes.push(body["status"].as_str().unwrap_or("").to_owned());
    }
    assert_eq!(outcomes, ["delivered", "delivered", "held", "held", "held"]);
    bridge.signal("TERM");
    assert_eq!(
        bridge.exit_code(Duration::from_secs(30)).await,
        Some(0),
        "{}",
        bridge.logs()
    );
    let all = texts(&server).join("\n");
    for i in 0..5 {
        assert!(
            all.contains(&format!("Held{i} on db-1")),
            "Held{i} not delivered:\n{all}"
        );
    }
    assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
    assert!(
        bridge.logs().contains("everything held was delivered"),
        "{}",
        bridge.logs()
    );

    // A window that will not open before the drain ends: what is left is logged.
    let dir = fresh_dir("drain-short");
    let rate = Rate::new(1, Duration::from_secs(120));
    let server = MockServer::builder()
        .rate_limit(rate)
        .start()
        .await
        .unwrap();
    let mut bridge = Bridge::start(
        &dir,
        &config_for(&server, "", &format!("rate: {rate}\ndrain_timeout: 1s\n")),
        &[],
    );
    for i in 0..3 {
        let (status, _) = bridge
            .notify("ops", &notification(&format!("Stuck{i}"), &format!("s{i}")))
            .await;
        assert_eq!(status, 200);
    }
    bridge.signal("TERM");
    assert_eq!(bridge.exit_code(Duration::from_secs(20)).await, Some(0));
    let logs = bridge.logs();
    assert!(
        logs.contains("could not deliver every held message"),
        "{logs}"
    );
    assert!(logs.contains("undelivered=2"), "{logs}");
    assert!(
        logs.contains("[FIRING:1] Stuck1 | [FIRING:1] Stuck2"),
        "the log names what was held: {logs}"
    );
    wait_for(&server, "the one message the window allowed", |t| {
        t.len() == 1
    })
    .await;
}
