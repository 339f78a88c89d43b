//! Alerts handled from the group, against a real Alertmanager (skipped when it is not
//! installed, failed under CI=true): `silence` creates a silence with the right matchers
//! and `createdBy`, `alerts` lists what fires, `unsilence` lifts it, a sender not
//! allowed is refused and nothing is done.

mod alertmanager_util;

use std::collections::BTreeSet;
use std::time::Duration;

use alertmanager_util::{Alertmanager, Bridge, alert, fresh_dir, http};
use dingbot::mock::{MockServer, Say};
use dingbot_cli::alertmanager::chatops::{Allowed, Api, ChatOps, Sender};
use serde_json::{Value, json};

async fn silences(am: &Alertmanager) -> Vec<Value> {
    http()
        .get(format!("{}/api/v2/silences", am.url))
        .send()
        .await
        .unwrap()
        .json::<Vec<Value>>()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_group_silences_lists_and_lifts_alerts_through_alertmanager() {
    let test = "the_group_silences_lists_and_lifts_alerts_through_alertmanager";
    let dir = fresh_dir("chatops");
    // Notifications go nowhere: only the API is used here.
    let Some(am) = Alertmanager::start(&dir, test, "http://127.0.0.1:9/", &["alertname"]) else {
        return;
    };
    am.post(&json!([
        alert(
            json!({"alertname": "HighLatency", "job": "api", "instance": "api-1"}),
            json!({"summary": "p99 above 2s"})
        ),
        alert(
            json!({"alertname": "DiskFull", "job": "db", "instance": "db-1"}),
            json!({})
        ),
    ]))
    .await;
    let api = Api::new(&am.url, Duration::from_secs(5)).unwrap();
    let shanghai = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    let ops = ChatOps::new(
        api,
        Allowed::StaffIds(BTreeSet::from(["0420".to_owned()])),
        shanghai,
    );
    let alice = Sender {
        staff_id: "0420".into(),
        nick: "Alice".into(),
    };
    let mallory = Sender {
        staff_id: "6666".into(),
        nick: "Mallory".into(),
    };

    let listed = ops.answer(&alice, "@robot alerts").await;
    assert_eq!(listed.title(), "2 firing", "{}", listed.text());
    assert!(
        listed
            .text()
            .contains("🔥 **HighLatency** — p99 above 2s · instance=api-1 · job=api"),
        "{}",
        listed.text()
    );
    assert!(listed.text().contains("**DiskFull**"), "{}", listed.text());

    // Someone not allowed: refused, nothing created.
    let refused = ops.answer(&mallory, "@robot silence HighLatency 2h").await;
    assert_eq!(refused.title(), "Not allowed");
    assert!(
        refused.text().contains("Mallory may not act on alerts"),
        "{}",
        refused.text()
    );
    assert!(silences(&am).await.is_empty());

    let before = jiff::Timestamp::now();
    let silenced = ops
        .answer(
            &alice,
            "@robot silence HighLatency 2h --comment \"deploy in progress\"",
        )
        .await;
    assert_eq!(silenced.title(), "Silenced", "{}", silenced.text());
    let all = silences(&am).await;
    assert_eq!(all.len(), 1, "{all:?}");
    let silence = &all[0];
    let id = silence["id"].as_str().unwrap();
    assert_eq!(silence["createdBy"], "Alice (0420) via DingTalk");
    assert_eq!(silence["comment"], "deploy in progress");
    assert_eq!(
        silence["matchers"],
        json!([{"name": "alertname", "value": "HighLatency", "isRegex": false, "isEqual": true}])
    );
    let ends: jiff::Timestamp = silence["endsAt"].as_str().unwrap().parse().unwrap();
    let lasts = ends.duration_since(before).as_secs();
    assert!((7190..=7210).contains(&lasts), "{lasts}");
    let text = silenced.text();
    assert!(text.contains(&format!("**ID**: {id}")), "{text}");
    assert!(
        text.contains("**Matchers**: alertname=\"HighLatency\""),
        "{text}"
    );
    assert!(text.contains("**By**: Alice (0420) via DingTalk"), "{text}");
    assert!(
        text.contains(" CST"),
        "the time in the configured zone: {text}"
    );

    // What is silenced is no longer listed.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let listed = ops.answer(&alice, "alerts").await;
        if listed.title() == "1 firing" {
            assert!(!listed.text().contains("HighLatency"), "{}", listed.text());
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{}", listed.text());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Matchers, and a mistake.
    let by_matchers = ops
        .answer(&alice, "silence 'job=\"db\",instance=~\"db-.*\"' 30m")
        .await;
    assert_eq!(by_matchers.title(), "Silenced", "{}", by_matchers.text());
    assert!(
        by_matchers
            .text()
            .contains("job=\"db\", instance=\\~\"db-.\\*\""),
        "{}",
        by_matchers.text()
    );
    let wrong = ops.answer(&alice, "silnce HighLatency 2h").await;
    assert!(
        wrong.text().contains("Did you mean **silence**?"),
        "{}",
        wrong.text()
    );
    let too_long = ops.answer(&alice, "silence HighLatency 90d").await;
    assert_eq!(too_long.title(), "Alertmanager failed");
    assert!(
        too_long.text().contains("at most 30 days"),
        "{}",
        too_long.text()
    );

    let lifted = ops.answer(&alice, &format!("unsilence {id}")).await;
    assert_eq!(lifted.title(), "Silence lifted", "{}", lifted.text());
    let states: Vec<(String, String)> = silences(&am)
        .await
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_owned(),
                s["status"]["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        states.contains(&(id.to_owned(), "expired".to_owned())),
        "{states:?}"
    );
    let unknown = ops
        .answer(&alice, "unsilence 00000000-0000-0000-0000-000000000000")
        .await;
    assert_eq!(unknown.title(), "Alertmanager failed", "{}", unknown.text());

    // Alertmanager gone: the reply says so.
    drop(am);
    let down = ops.answer(&alice, "alerts").await;
    assert!(
        down.text().contains("Alertmanager cannot be reached"),
        "{}",
        down.text()
    );
    let help = ops.answer(&mallory, "help").await;
    assert!(
        help.text().contains("**silence** *target* *duration*"),
        "{}",
        help.text()
    );
}

/// The replies the bridge posted through the session webhooks, as their JSON text.
fn replies(server: &MockServer) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/robot/sendBySession" && r.errcode == Some(0))
        .map(|r| r.body_text())
        .collect()
}

async fn reply_count(server: &MockServer, n: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let got = replies(server);
        if got.len() >= n {
            return got;
        }
        assert!(std::time::Instant::now() < deadline, "{n} replies: {got:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bridge_answers_the_group_in_stream_mode() {
    let test = "the_bridge_answers_the_group_in_stream_mode";
    let dir = fresh_dir("chatops-bridge");
    let server = MockServer::builder()
        .app("dingchatops", "chatops-secret", "dingchatops")
        .start()
        .await
        .unwrap();
    let Some(am) = Alertmanager::start(
        &dir,
        test,
        &format!("{}/dingtalk/ops/send", "http://127.0.0.1:9"),
        &["alertname"],
    ) else {
        return;
    };
    am.post(&json!([alert(
        json!({"alertname": "HighLatency", "job": "api"}),
        json!({"summary": "p99 above 2s"})
    )]))
    .await;
    let config = format!(
        "targets:\n  ops:\n    url: {}\n\
         chatops:\n  client_id_env: CHATOPS_ID\n  client_secret_env: CHATOPS_SECRET\n  \
         alertmanager_url: {}\n  allowed: ['0420']\n  openapi_url: {}\n",
        server.webhook_url(),
        am.url,
        server.base_url()
    );
    let bridge = Bridge::start(
        &dir,
        &config,
        &[
            ("CHATOPS_ID", "dingchatops"),
            ("CHATOPS_SECRET", "chatops-secret"),
        ],
    );
    // The bridge connects in Stream mode; then the group speaks.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while server.stream_stats().open == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "no Stream connection: {}",
            bridge.logs()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(server.say(Say::new("alerts").by("Alice", "0420")), 1);
    let got = reply_count(&server, 1).await;
    assert!(got[0].contains("HighLatency"), "{got:?}");

    server.say(Say::new("silence HighLatency 2h --comment 'deploy'").by("Alice", "0420"));
    let got = reply_count(&server, 2).await;
    assert!(got[1].contains("Silenced"), "{got:?}");
    let all = silences(&am).await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["createdBy"], "Alice (0420) via DingTalk");
    assert_eq!(all[0]["matchers"][0]["value"], "HighLatency");

    // Someone not allowed is refused; nothing more is created.
    server.say(Say::new("silence HighLatency 1h").by("Mallory", "6666"));
    let got = reply_count(&server, 3).await;
    assert!(got[2].contains("Not allowed"), "{got:?}");
    assert_eq!(silences(&am).await.len(), 1);
    // The app's secret never reaches the logs.
    assert!(
        !bridge.logs().contains("chatops-secret"),
        "{}",
        bridge.logs()
    );
}
