//! Reloads by request and by SIGHUP; a bad reload keeps the config in use.

use std::time::Duration;

use dingbot::mock::MockServer;

use crate::alertmanager_util::{self, Bridge, config_for, fresh_dir, metric};
use crate::notification;

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
