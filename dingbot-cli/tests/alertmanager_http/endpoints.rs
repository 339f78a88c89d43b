//! The endpoints and their answers as prometheus-webhook-dingtalk's, a resent
//! notification posted once, and the metrics that count it all.

use dingbot::mock::{Fault, MockServer};

use crate::alertmanager_util::{self, Bridge, config_for, fresh_dir, metric};
use crate::notification;

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
    let error = body["error"].as_str().unwrap();
    assert!(error.contains("no target named \"nope\""), "{body}");
    assert!(
        !error.contains("ops"),
        "the other targets are not named: {body}"
    );
    let answer = http
        .post(bridge.url("/dingtalk/ops/send"))
        .header("content-type", "application/json")
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
