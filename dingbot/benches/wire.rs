//! Wire-level costs: serializing a message, signing, escaping.
//!
//! Each figure is compared with a baseline measured in the same run (a plain
//! `#[derive(Serialize)]` struct; copying a string), so the ratio holds on a noisy machine.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dingbot::{Markdown, Message, Payload};
use serde::Serialize;

/// A typical alert body of about 1 KB.
fn body_1k() -> String {
    let mut s = String::from("#### Order 1842 failed\n\n");
    while s.len() < 1000 {
        s.push_str("**Customer**: ACME Trading Co., Ltd.\n\n**Reason**: card declined by issuer (code 51)\n\n");
    }
    s
}

#[derive(Serialize)]
struct PlainMessage<'a> {
    msgtype: &'static str,
    markdown: PlainMarkdown<'a>,
    at: PlainAt<'a>,
}

#[derive(Serialize)]
struct PlainMarkdown<'a> {
    title: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct PlainAt<'a> {
    #[serde(rename = "atMobiles")]
    mobiles: &'a [String],
    #[serde(rename = "isAtAll")]
    all: bool,
}

fn serialize(c: &mut Criterion) {
    let text = body_1k();
    let mobiles = vec!["13800000000".to_string()];
    let msg: Message = Markdown::new("Order 1842 failed", text.clone())
        .at_mobiles(mobiles.clone())
        .into();
    let plain = PlainMessage {
        msgtype: "markdown",
        markdown: PlainMarkdown {
            title: "Order 1842 failed",
            text: &text,
        },
        at: PlainAt {
            mobiles: &mobiles,
            all: false,
        },
    };
    assert_eq!(
        serde_json::to_value(&msg).unwrap(),
        serde_json::to_value(&plain).unwrap()
    );

    let mut group = c.benchmark_group("serialize_1k_markdown");
    group.throughput(Throughput::Bytes(
        serde_json::to_vec(&msg).unwrap().len() as u64
    ));
    let mut buf = Vec::with_capacity(4096);
    group.bench_function("plain_derive_struct", |b| {
        b.iter(|| {
            buf.clear();
            serde_json::to_writer(&mut buf, black_box(&plain)).unwrap();
            black_box(buf.len())
        })
    });
    group.bench_function("dingbot_message", |b| {
        b.iter(|| {
            buf.clear();
            serde_json::to_writer(&mut buf, black_box(&msg)).unwrap();
            black_box(buf.len())
        })
    });
    group.bench_function("dingbot_payload_full", |b| {
        b.iter(|| {
            black_box(
                Payload::with_msg_uuid(black_box(&msg), "0f3c9a1e2b7d4c5a8e6f1a2b3c4d5e6f")
                    .unwrap(),
            )
        })
    });
    group.finish();
}

fn sign(c: &mut Criterion) {
    let secret = "SECb9ae5a9a6a0d3e8f9ca3f2d1f8c0ec4b1c7e6b5f0a1d2c3b4a5f6e7d8c9b0a1f";
    c.bench_function("sign", |b| {
        b.iter(|| dingbot::sign(black_box(secret), black_box(1_700_000_000_000)))
    });
    let hook = dingbot::Webhook::parse(
        "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123456789abcdef",
    )
    .unwrap()
    .with_secret(secret)
    .unwrap();
    c.bench_function("signed_url", |b| {
        b.iter(|| hook.signed_url(black_box(1_700_000_000_000)))
    });
}

/// 64 KB of mixed text: prose, CJK, numbers, some markdown punctuation and mentions.
fn mixed_64k() -> String {
    let parts = [
        "Order 1842 for ACME failed: card declined. ",
        "客户投诉：退款未到账，请尽快处理。",
        "retry_count=3 *urgent* [ticket](https://t.example/1) ",
        "\n- item one\n# not a heading\n",
        "contact @13800000000 or support@example.com ",
        "plain words that need no escaping at all, which is most of real text. ",
    ];
    let mut s = String::new();
    let mut i = 0;
    while s.len() < 64 * 1024 {
        s.push_str(parts[i % parts.len()]);
        i += 1;
    }
    s
}

fn escape(c: &mut Criterion) {
    let text = mixed_64k();
    let mut group = c.benchmark_group("escape_64k");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("copy_string", |b| {
        b.iter(|| black_box(black_box(&text).to_owned()))
    });
    group.bench_function("escape", |b| {
        b.iter(|| black_box(dingbot::markdown::escape(black_box(&text))))
    });
    group.finish();
}

criterion_group!(benches, serialize, sign, escape);
criterion_main!(benches);
