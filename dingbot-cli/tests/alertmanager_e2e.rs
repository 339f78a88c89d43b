//! `dingbot alertmanager` behind a real Alertmanager (Debian's `prometheus-alertmanager`):
//! alerts posted to Alertmanager's API reach the emulator's group through the bridge,
//! started as the built binary. Skipped when Alertmanager is not installed, failed under
//! CI=true.

mod alertmanager_util;

use std::collections::HashMap;
use std::time::Duration;

use alertmanager_util::{
    Alertmanager, Bridge, alert, config_for, fresh_dir, metric, resolved, wait_for,
};
use dingbot::Rate;
use dingbot::mock::{Fault, MockServer};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn firing_and_resolved_alerts_reach_the_group_rendered_with_mentions() {
    let test = "firing_and_resolved_alerts_reach_the_group_rendered_with_mentions";
    let dir = fresh_dir("render");
    let server = MockServer::start().await.unwrap();
    let bridge = Bridge::start(
        &dir,
        &config_for(
            &server,
            "    mention:\n      mobiles: ['13800000000']\n",
            "timezone: Asia/Shanghai\n",
        ),
        &[],
    );
    let Some(am) = Alertmanager::start(
        &dir,
        test,
        &bridge.url("/dingtalk/ops/send"),
        &["alertname"],
    ) else {
        return;
    };
    let api_1 = alert(
        json!({"alertname": "HighLatency", "instance": "api-1:9100", "severity": "critical", "job": "api"}),
        json!({"summary": "p99 latency above 2s", "description": "api-1 answers *slowly*", "dingtalk_at": "13900000001"}),
    );
    let api_2 = alert(
        json!({"alertname": "HighLatency", "instance": "api-2:9100", "severity": "critical", "job": "api"}),
        json!({"summary": "p99 latency above 3s"}),
    );
    am.post(&json!([api_1, api_2])).await;

    let texts = wait_for(&server, "the firing message", |t| {
        t.iter().any(|m| m.contains("[FIRING:2] HighLatency"))
    })
    .await;
    let firing = texts.iter().find(|m| m.contains("[FIRING:2]")).unwrap();
    assert!(firing.contains("🔥"), "{firing}");
    assert!(
        firing.contains("p99 latency above 2s") && firing.contains("p99 latency above 3s"),
        "{firing}"
    );
    // Markdown in an annotation is shown as text.
    assert!(firing.contains("api-1 answers \\*slowly\\*"), "{firing}");
    // The labels the alerts do not share, never the common ones.
    assert!(
        firing.contains("api-1:9100") && firing.contains("api-2:9100"),
        "{firing}"
    );
    assert!(!firing.contains("**job**"), "{firing}");
    assert!(firing.contains("critical"), "{firing}");
    // Start times in Asia/Shanghai, the generator link, Alertmanager's links.
    assert!(firing.contains(" CST"), "{firing}");
    assert!(
        firing.contains("(http://prometheus.example:9090/graph?g0.expr=up)"),
        "{firing}"
    );
    assert!(
        firing.contains(&format!("]({}/#/alerts?receiver=dingtalk)", am.url)),
        "{firing}"
    );
    assert!(firing.contains("/#/silences/new?filter="), "{firing}");
    // The target's mention and the one the alert names, in the body and in `at`.
    assert!(
        firing.contains("@13800000000") && firing.contains("@13900000001"),
        "{firing}"
    );
    let message = server
        .received()
        .into_iter()
        .find(|m| m.title().is_some_and(|t| t.contains("[FIRING:2]")))
        .unwrap();
    let at = message.at().expect("the message mentions people");
    assert!(
        at.get_mobiles().contains(&"13800000000".to_owned())
            && at.get_mobiles().contains(&"13900000001".to_owned())
    );

    am.post(&json!([resolved(api_1), resolved(api_2)])).await;
    let texts = wait_for(&server, "the resolved message", |t| {
        t.iter().any(|m| m.contains("[RESOLVED] HighLatency"))
    })
    .await;
    let done = texts.iter().find(|m| m.contains("[RESOLVED]")).unwrap();
    assert!(done.contains("✅") && !done.contains("🔥"), "{done}");
    assert!(done.contains("resolved "), "{done}");
    assert!(
        !done.contains("/#/silences/new"),
        "a resolved group offers no silence: {done}"
    );
    assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_storm_of_200_alerts_arrives_paced_and_complete() {
    let test = "a_storm_of_200_alerts_arrives_paced_and_complete";
    let dir = fresh_dir("storm");
    // DingTalk's rule scaled down: 20 messages per 2 s instead of per minute.
    let rate = Rate::new(20, Duration::from_secs(2));
    let server = MockServer::builder()
        .rate_limit(rate)
        .start()
        .await
        .unwrap();
    let bridge = Bridge::start(
        &dir,
        &config_for(&server, "", &format!("rate: {rate}\nhold_dir: held\n")),
        &[],
    );
    // One group per instance: 200 notifications at once.
    let Some(am) = Alertmanager::start(
        &dir,
        test,
        &bridge.url("/dingtalk/ops/send"),
        &["alertname", "instance"],
    ) else {
        return;
    };
    let alerts: Vec<serde_json::Value> = (0..200)
        .map(|i| {
            alert(
                json!({"alertname": "DiskFull", "instance": format!("node-{i:03}"), "severity": "warning"}),
                json!({"summary": format!("disk of node-{i:03} is 95% full")}),
            )
        })
        .collect();
    am.post(&json!(alerts)).await;

    let everyone = |texts: &[String]| {
        let all = texts.join("\n");
        (0..200).all(|i| all.contains(&format!("disk of node-{i:03} is 95% full")))
    };
    let texts = wait_for(&server, "every alert of the storm", everyone).await;
    let requests = server.requests();
    let throttled = requests
        .iter()
        .filter(|r| r.errcode == Some(130101))
        .count();
    assert_eq!(throttled, 0, "the bridge got the robot throttled");
    assert!(
        requests.iter().all(|r| r.errcode == Some(0)),
        "{requests:?}"
    );
    // Merged: far fewer messages than alerts.
    assert!(texts.len() < 100, "{} messages for 200 alerts", texts.len());
    let metrics = bridge.metrics().await;
    assert!(
        metric(
            &metrics,
            "dingbot_alertmanager_notifications_total",
            &["outcome=\"held\""]
        ) > 0.0,
        "{metrics}"
    );
    assert!(
        metric(&metrics, "dingbot_alertmanager_messages_merged_total", &[]) > 0.0,
        "{metrics}"
    );
    assert!(
        metric(&metrics, "dingbot_alertmanager_throttled_total", &[]) > 0.0,
        "{metrics}"
    );
    assert_eq!(
        metric(
            &metrics,
            "dingbot_alertmanager_alerts_received_total",
            &["status=\"firing\""]
        ),
        200.0,
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn during_a_dingtalk_outage_alertmanagers_retries_deliver_everything_once() {
    let test = "during_a_dingtalk_outage_alertmanagers_retries_deliver_everything_once";
    let dir = fresh_dir("outage");
    // Failed attempts take slots of the window too: a scaled-down window frees them soon.
    let rate = Rate::new(20, Duration::from_secs(3));
    let server = MockServer::builder()
        .rate_limit(rate)
        .start()
        .await
        .unwrap();
    let bridge = Bridge::start(
        &dir,
        &config_for(&server, "", &format!("rate: {rate}\n")),
        &[],
    );
    let Some(am) = Alertmanager::start(
        &dir,
        test,
        &bridge.url("/dingtalk/ops/send"),
        &["alertname"],
    ) else {
        return;
    };
    // DingTalk is down: its gateways answer 502, then DingTalk is busy. The bridge's own
    // retries cannot outlast it, so it answers 503 and Alertmanager sends again.
    server.inject(Fault::Status(502), 20);
    server.inject(Fault::Errcode(-1, "系统繁忙".into()), 5);
    let alerts: Vec<serde_json::Value> = (0..5)
        .map(|i| {
            alert(
                json!({"alertname": format!("Outage{i}"), "severity": "critical"}),
                json!({"summary": format!("service {i} down")}),
            )
        })
        .collect();
    am.post(&json!(alerts)).await;

    let all = |texts: &[String]| {
        (0..5).all(|i| {
            texts
                .iter()
                .any(|t| t.contains(&format!("service {i} down")))
        })
    };
    wait_for(&server, "every alert after the outage", all).await;
    assert_eq!(server.pending_faults(), 0, "the outage was not met");
    // A moment more: nothing is posted twice, whatever Alertmanager still retries.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for text in alertmanager_util::texts(&server) {
        for i in 0..5 {
            if text.contains(&format!("service {i} down")) {
                *seen.entry(i).or_default() += 1;
            }
        }
    }
    assert!(
        (0..5).all(|i| seen.get(&i) == Some(&1)),
        "each alert exactly once: {seen:?}"
    );
    let metrics = bridge.metrics().await;
    assert!(
        metric(
            &metrics,
            "dingbot_alertmanager_notifications_total",
            &["outcome=\"retry\""]
        ) > 0.0,
        "the bridge never answered 503, so Alertmanager never retried: {metrics}"
    );
    assert!(
        metric(
            &metrics,
            "dingbot_alertmanager_messages_failed_total",
            &["errcode=\"http\""]
        ) >= 5.0,
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_sharing_redis_stay_under_the_limit_together() {
    let test = "two_replicas_sharing_redis_stay_under_the_limit_together";
    let Some(redis_server) = alertmanager_util::programs::program("redis-server", test) else {
        return;
    };
    let dir = fresh_dir("replicas");
    let port = alertmanager_util::programs::free_port();
    let mut command = std::process::Command::new(redis_server);
    command
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut redis = alertmanager_util::programs::Process::start(command);
    redis.wait_for_port(([127, 0, 0, 1], port).into(), Duration::from_secs(10));

    let rate = Rate::new(20, Duration::from_secs(3));
    let server = MockServer::builder()
        .rate_limit(rate)
        .start()
        .await
        .unwrap();
    let config = config_for(
        &server,
        "",
        &format!("rate: {rate}\nhold_dir: held\nredis:\n  url_env: BRIDGE_REDIS\n"),
    );
    let redis_url = format!("redis://127.0.0.1:{port}");
    let env = [("BRIDGE_REDIS", redis_url.as_str())];
    let (dir_a, dir_b) = (dir.join("a"), dir.join("b"));
    std::fs::create_dir_all(&dir_a).unwrap();
    std::fs::create_dir_all(&dir_b).unwrap();
    let replicas = [
        Bridge::start(&dir_a, &config, &env),
        Bridge::start(&dir_b, &config, &env),
    ];

    // 60 groups, spread over both replicas as a Service would, all at once.
    let sends = (0..60).map(|i| {
        let replica = &replicas[i % 2];
        let notification = json!({
            "version": "4", "status": "firing", "receiver": "dingtalk",
            "groupKey": format!("{{}}:{{instance=\"node-{i:02}\"}}"),
            "groupLabels": {"instance": format!("node-{i:02}")},
            "commonLabels": {"alertname": "NodeDown", "instance": format!("node-{i:02}")},
            "alerts": [{"status": "firing", "labels": {"alertname": "NodeDown", "instance": format!("node-{i:02}")},
                        "annotations": {"summary": format!("node-{i:02} is down")},
                        "startsAt": "2026-12-01T11:44:54Z", "fingerprint": format!("n{i}")}]
        });
        async move { replica.notify("ops", &notification).await }
    });
    for (status, body) in futures_lite_join(sends).await {
        assert_eq!(status, 200, "{body}");
    }
    let all = |texts: &[String]| {
        let all = texts.join("\n");
        (0..60).all(|i| all.contains(&format!("node-{i:02} is down")))
    };
    wait_for(&server, "every group from both replicas", all).await;
    let requests = server.requests();
    assert_eq!(
        requests
            .iter()
            .filter(|r| r.errcode == Some(130101))
            .count(),
        0,
        "two replicas together went over the limit"
    );
    assert!(requests.iter().all(|r| r.errcode == Some(0)));
    drop(redis);
}

/// Runs the futures concurrently on this task; their outputs in order.
async fn futures_lite_join<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut pending: Vec<std::pin::Pin<Box<F>>> = futures.map(Box::pin).collect();
    let mut done: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (i, future) in pending.iter_mut().enumerate() {
            if done[i].is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(out) => done[i] = Some(out),
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    done.into_iter()
        .map(|o| o.expect("every future finished"))
        .collect()
}
