//! Alerts handled from the group, against a real Alertmanager (skipped when it is not
//! installed, failed under CI=true): `silence` creates a silence with the right matchers
//! and `createdBy`, `alerts` lists what fires, `unsilence` lifts it, a sender not
//! allowed is refused and nothing is done.

mod alertmanager_util;

use std::collections::BTreeSet;
use std::time::Duration;

use alertmanager_util::{Alertmanager, alert, fresh_dir, http};
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
