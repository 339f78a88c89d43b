//! `to_message()` + serialization of the two DESIGN.md examples and of an Alertmanager
//! notification of 10 alerts, derived against a hand-written `impl DingMessage`
//! producing the same message, in the same run.

use std::collections::BTreeMap;
use std::fmt;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dingbot::markdown::{ItemWriter, Writer};
use dingbot::{ActionCard, DingItem, DingMessage, Markdown, Message, Orientation};

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
    #[ding(label = "Customer")]
    customer: String,
    reason: Option<String>,
    #[ding(skip)]
    #[allow(dead_code)]
    trace: Vec<u8>,
    #[ding(at_mobiles)]
    oncall: Vec<String>,
}

struct OrderFailedByHand {
    id: u64,
    customer: String,
    reason: Option<String>,
    oncall: Vec<String>,
}

impl DingMessage for OrderFailedByHand {
    fn to_message(&self) -> Message {
        let title = format!("Order {} failed", self.id);
        let mut body = Writer::new()
            .heading(4, title.as_str())
            .field("Customer", self.customer.as_str());
        if let Some(reason) = &self.reason {
            body = body.field("Reason", reason.as_str());
        }
        let mut text = body.finish();
        if !self.oncall.is_empty() {
            text.push_str("\n\n");
            let mentions: Vec<String> = self.oncall.iter().map(|m| format!("@{m}")).collect();
            text.push_str(&mentions.join(" "));
        }
        Markdown::new(title, text)
            .at_mobiles(self.oncall.iter().cloned())
            .into()
    }
}

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}", orientation = "horizontal")]
struct DeployApproval {
    service: String,
    #[ding(button = "Approve")]
    approve_url: String,
    #[ding(button = "Reject")]
    reject_url: String,
}

struct DeployApprovalByHand {
    service: String,
    approve_url: String,
    reject_url: String,
}

impl DingMessage for DeployApprovalByHand {
    fn to_message(&self) -> Message {
        let title = format!("Deploy {}", self.service);
        let text = Writer::new().heading(4, title.as_str()).finish();
        ActionCard::new(title, text)
            .button("Approve", self.approve_url.as_str())
            .button("Reject", self.reject_url.as_str())
            .orientation(Orientation::Horizontal)
            .into()
    }
}

/// `firing` as `FIRING`. (`with` takes `&T` of the field's exact type, as serde's
/// `serialize_with` does.)
#[allow(clippy::ptr_arg)]
fn upper(text: &String, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    for c in text.chars() {
        fmt::Write::write_char(f, c.to_ascii_uppercase())?;
    }
    Ok(())
}

/// `2026-12-01T10:58:03.512Z` as `2026-12-01 10:58 UTC`.
#[allow(clippy::ptr_arg)]
fn minute(time: &String, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match (time.get(..10), time.get(11..16)) {
        (Some(day), Some(clock)) if time.ends_with('Z') => write!(f, "{day} {clock} UTC"),
        _ => f.write_str(time),
    }
}

type Labels = BTreeMap<String, String>;

#[derive(DingMessage)]
#[ding(title = "[{status}] {receiver}")]
struct Notification {
    #[ding(with = upper)]
    status: String,
    receiver: String,
    #[ding(list)]
    group_labels: Labels,
    #[ding(list)]
    common_labels: Labels,
    #[ding(list)]
    alerts: Vec<Alert>,
}

#[derive(DingItem)]
#[ding(item = "**{status}** since {starts_at}{labels}{annotations}")]
struct Alert {
    #[ding(with = upper)]
    status: String,
    #[ding(list)]
    labels: Labels,
    #[ding(list)]
    annotations: Labels,
    #[ding(with = minute)]
    starts_at: String,
}

/// A value shown through one of the functions above, for the hand-written version.
struct Shown<'a>(
    &'a String,
    fn(&String, &mut fmt::Formatter<'_>) -> fmt::Result,
);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.1)(self.0, f)
    }
}

struct NotificationByHand {
    status: String,
    receiver: String,
    group_labels: Labels,
    common_labels: Labels,
    alerts: Vec<AlertByHand>,
}

struct AlertByHand {
    status: String,
    labels: Labels,
    annotations: Labels,
    starts_at: String,
}

impl DingItem for AlertByHand {
    fn write_item(&self, item: &mut ItemWriter<'_>) {
        item.raw("**");
        item.display(&Shown(&self.status, upper));
        item.raw("** since ");
        item.display(&Shown(&self.starts_at, minute));
        item.entries(&self.labels);
        item.entries(&self.annotations);
    }
}

impl DingMessage for NotificationByHand {
    fn to_message(&self) -> Message {
        let title = format!("[{}] {}", Shown(&self.status, upper), self.receiver);
        let mut body = Writer::new().heading(4, title.as_str());
        for (label, map) in [
            ("**Group labels**:", &self.group_labels),
            ("**Common labels**:", &self.common_labels),
        ] {
            if !map.is_empty() {
                body = body.raw(label).entries(map);
            }
        }
        if !self.alerts.is_empty() {
            body = body.raw("**Alerts**:").items(&self.alerts);
        }
        Markdown::new(title, body.finish()).into()
    }
}

fn labels(pairs: &[(&str, String)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// The same notification, twice: derived and by hand.
fn notification(alerts: usize) -> (Notification, NotificationByHand) {
    let group = labels(&[("alertname", "DiskFull".into())]);
    let common = labels(&[
        ("alertname", "DiskFull".into()),
        ("severity", "page".into()),
        ("team", "db".into()),
    ]);
    let alert_parts = |i: usize| {
        (
            labels(&[
                ("alertname", "DiskFull".into()),
                ("instance", format!("db-{i}:9100")),
                ("job", "node".into()),
                ("mountpoint", "/var/lib/postgresql".into()),
            ]),
            labels(&[
                ("summary", format!("/var on db-{i} is 9{}% full", i % 10)),
                (
                    "runbook",
                    "https://wiki.example.com/runbooks/disk-full".into(),
                ),
            ]),
            format!("2026-12-01T10:{:02}:03.512Z", 10 + i),
        )
    };
    let derived = Notification {
        status: "firing".into(),
        receiver: "team_db".into(),
        group_labels: group.clone(),
        common_labels: common.clone(),
        alerts: (0..alerts)
            .map(|i| {
                let (labels, annotations, starts_at) = alert_parts(i);
                Alert {
                    status: "firing".into(),
                    labels,
                    annotations,
                    starts_at,
                }
            })
            .collect(),
    };
    let by_hand = NotificationByHand {
        status: "firing".into(),
        receiver: "team_db".into(),
        group_labels: group,
        common_labels: common,
        alerts: (0..alerts)
            .map(|i| {
                let (labels, annotations, starts_at) = alert_parts(i);
                AlertByHand {
                    status: "firing".into(),
                    labels,
                    annotations,
                    starts_at,
                }
            })
            .collect(),
    };
    (derived, by_hand)
}

fn bench_pair(c: &mut Criterion, name: &str, derived: &dyn DingMessage, by_hand: &dyn DingMessage) {
    let (a, b) = (derived.to_message(), by_hand.to_message());
    assert_eq!(a, b, "both produce the same message");
    let mut group = c.benchmark_group(name);
    let mut buf = Vec::with_capacity(1024);
    group.bench_function("hand_written", |bench| {
        bench.iter(|| {
            buf.clear();
            serde_json::to_writer(&mut buf, &black_box(by_hand).to_message()).unwrap();
            black_box(buf.len())
        })
    });
    group.bench_function("derived", |bench| {
        bench.iter(|| {
            buf.clear();
            serde_json::to_writer(&mut buf, &black_box(derived).to_message()).unwrap();
            black_box(buf.len())
        })
    });
    group.finish();
}

fn derive(c: &mut Criterion) {
    let oncall = vec!["13800000000".to_string(), "13900000000".to_string()];
    bench_pair(
        c,
        "order_failed",
        &OrderFailed {
            id: 1842,
            customer: "ACME Trading Co., Ltd.".into(),
            reason: Some("card declined by issuer (code 51)".into()),
            trace: vec![0; 64],
            oncall: oncall.clone(),
        },
        &OrderFailedByHand {
            id: 1842,
            customer: "ACME Trading Co., Ltd.".into(),
            reason: Some("card declined by issuer (code 51)".into()),
            oncall,
        },
    );
    let urls = (
        "https://ci.example.com/deploys/17/approve",
        "https://ci.example.com/deploys/17/reject",
    );
    bench_pair(
        c,
        "deploy_approval",
        &DeployApproval {
            service: "api".into(),
            approve_url: urls.0.into(),
            reject_url: urls.1.into(),
        },
        &DeployApprovalByHand {
            service: "api".into(),
            approve_url: urls.0.into(),
            reject_url: urls.1.into(),
        },
    );
    let (derived, by_hand) = notification(10);
    bench_pair(c, "alertmanager_10_alerts", &derived, &by_hand);
}

criterion_group!(benches, derive);
criterion_main!(benches);
