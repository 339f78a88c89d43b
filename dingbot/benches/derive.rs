//! `to_message()` + serialization of the two DESIGN.md examples, derived against a
//! hand-written `impl DingMessage` producing the same message, in the same run.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dingbot::markdown::Writer;
use dingbot::{ActionCard, DingMessage, Markdown, Message, Orientation};

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
}

criterion_group!(benches, derive);
criterion_main!(benches);
