//! An alert group from the bridge, as the group sees it: the common labels once under
//! the title, each alert one list item holding its own labels — no nested list whose
//! bullets could read as siblings of the alerts. A screenshot is saved too
//! (`DINGBOT_WRITE_SCREENSHOT=1` writes it to `docs/alertmanager.png`, the one the
//! README shows).

use std::path::Path;

use dingbot::Robot;
use dingbot::mock::MockServer;
use dingbot_cli::alertmanager::Pipeline;
use dingbot_cli::preview::PreviewPage;
use serde_json::json;

use crate::{articles, chromium, fresh_dir, programs};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_group_reads_as_a_group() {
    let test = "an_alert_group_reads_as_a_group";
    let Some(browser) = programs::program("chromium", test) else {
        return;
    };
    let server = MockServer::builder().preview(true).start().await.unwrap();
    let pipeline = Pipeline::new(&format!(
        "timezone: Asia/Shanghai\ntargets:\n  ops:\n    url: {}\n    mention:\n      mobiles: ['13800000000']\n",
        server.webhook_url()
    ))
    .unwrap();
    let alert = |instance: &str, p99: &str| {
        json!({
            "status": "firing",
            "labels": {"alertname": "HighLatency", "service": "checkout", "job": "api",
                       "severity": "critical", "instance": instance},
            "annotations": {"summary": format!("p99 {p99} on {instance}")},
            "startsAt": "2026-12-03T01:44:54Z", "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph", "fingerprint": instance
        })
    };
    let notification = json!({
        "version": "4", "groupKey": "{}:{alertname=\"HighLatency\"}", "status": "firing",
        "receiver": "dingtalk", "groupLabels": {"alertname": "HighLatency"},
        "commonLabels": {"alertname": "HighLatency", "service": "checkout", "job": "api",
                         "severity": "critical"},
        "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
        "truncatedAlerts": 0,
        "alerts": [alert("api-1", "2.4s"), alert("api-2", "3.1s"), alert("api-3", "2.2s")]
    });
    let (_, messages) = pipeline
        .take("ops", notification.to_string().as_bytes())
        .unwrap();
    let robot = Robot::new(server.webhook_url()).unwrap();
    for message in &messages {
        robot.send(message).await.unwrap();
    }

    let url = server.base_url();
    let dom = tokio::task::spawn_blocking({
        let (browser, url) = (browser.clone(), url.clone());
        move || chromium(&browser, &url, &["--dump-dom".to_owned()])
    })
    .await
    .unwrap();
    let items = articles(&dom);
    assert_eq!(items.len(), 1, "{dom}");
    let group = items[0];
    assert!(
        group.contains("<strong>Labels</strong>: job=api · service=checkout"),
        "the common labels once: {group}"
    );
    assert_eq!(group.matches("service=checkout").count(), 1, "{group}");
    // One list, one item an alert, each holding its own instance.
    assert_eq!(group.matches("<ul>").count(), 1, "no nested list: {group}");
    let lis: Vec<&str> = group.split("<li>").skip(1).collect();
    assert_eq!(lis.len(), 3, "{group}");
    for (li, instance) in lis.iter().zip(["api-1", "api-2", "api-3"]) {
        let li = li.split("</li>").next().unwrap();
        assert!(
            li.contains("p99") && li.contains(&format!("instance={instance}")),
            "{instance} on its own line: {li}"
        );
    }
    assert!(group.contains("@13800000000 notifies"), "{group}");

    let shot = fresh_dir("alertmanager-screenshot").join("alertmanager.png");
    let arg = format!("--screenshot={}", shot.display());
    tokio::task::spawn_blocking(move || chromium(&browser, &url, &[arg]))
        .await
        .unwrap();
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000);
    if std::env::var("DINGBOT_WRITE_SCREENSHOT").is_ok_and(|v| v == "1") {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/alertmanager.png");
        std::fs::write(&docs, &png).expect("write docs/alertmanager.png");
    }
}
