//! `dingbot::tracing`: a run of identical events keeps its values. The message counting
//! them lists, per field, the distinct values the events carried (capped, the rest
//! counted), a field that never changed once, and stays within DingTalk's body limit.

mod emulator;

use std::collections::BTreeSet;

use dingbot::mock::MockServer;
use dingbot::tracing::AlertStats;
use dingbot::{Message, Robot};
use tracing_subscriber::prelude::*;

/// The emulator on a thread of its own (the layer's worker has its own runtime), and a
/// robot for it.
fn on_thread() -> (MockServer, Robot) {
    let (_clock, server, robot) = emulator::pair_on_thread(MockServer::builder(), |robot| robot);
    (server, robot)
}

fn text(msg: &Message) -> String {
    msg.body().unwrap_or_default().to_owned()
}

/// The messages counting repeats (`N × ...` titles), with their counts.
fn counted(received: &[Message]) -> Vec<(u64, String)> {
    received
        .iter()
        .filter_map(|m| {
            let title = m.title()?;
            let (n, _) = title.split_once(" × ")?;
            Some((n.replace(',', "").parse().ok()?, text(m)))
        })
        .collect()
}

/// The line of `body` for the field `name`.
fn field_line<'a>(body: &'a str, name: &str) -> Vec<&'a str> {
    let marker = format!("**{name}**: ");
    body.lines().filter(|l| l.starts_with(&marker)).collect()
}

#[test]
fn three_hundred_repeats_list_their_distinct_orders_and_a_constant_once() {
    let (server, robot) = on_thread();
    let (layer, guard) = dingbot::tracing::builder(robot).build();
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
        // The first is sent at once; the 300 after it are counted.
        for i in 0..301 {
            tracing::error!(order = format!("SO-{i}"), region = "eu-1", "payment failed");
        }
    });
    let stats: AlertStats = guard.shutdown();
    assert_eq!(stats.events, 301, "{stats:?}");

    let received = server.received();
    let counted = counted(&received);
    assert!(!counted.is_empty(), "no counted message: {received:?}");
    assert_eq!(
        counted.iter().map(|(n, _)| n).sum::<u64>(),
        300,
        "{counted:?}"
    );

    let mut orders = BTreeSet::new();
    for (n, body) in &counted {
        let lines = field_line(body, "order");
        assert_eq!(lines.len(), 1, "{body}");
        let line = lines[0];
        // Every order differed: the count of distinct values is the count of events.
        assert!(
            line.ends_with(&format!("({n} distinct)")),
            "the distinct orders are not counted: {line}"
        );
        orders.extend(
            line.trim_start_matches("**order**: ")
                .split(", ")
                .filter(|v| v.starts_with("SO-"))
                .map(|v| v.split(' ').next().unwrap_or(v).to_owned()),
        );
        // The field that never changed is shown once, as for a single event.
        assert_eq!(field_line(body, "region"), ["**region**: eu-1"], "{body}");
    }
    if let [(_, body)] = counted.as_slice() {
        assert!(body.contains("(300 distinct)"), "{body}");
        assert!(body.contains("**order**: SO-1, SO-2, SO-3"), "{body}");
    }
    assert!(
        orders.len() >= 50,
        "only {} order ids reached the group: {orders:?}",
        orders.len()
    );
}

#[test]
fn huge_changing_values_stay_within_the_body_limit() {
    let (server, robot) = on_thread();
    let (layer, guard) = dingbot::tracing::builder(robot).build();
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
        for i in 0..300 {
            // Wide characters (3 bytes each), and markdown that escaping makes longer.
            let wide = format!("{i}{}", "数据库连接超时".repeat(100));
            let marks = format!("{i}{}", "*_[]`<>#".repeat(100));
            tracing::error!(
                a = wide.as_str(),
                b = wide.as_str(),
                c = wide.as_str(),
                d = wide.as_str(),
                e = wide.as_str(),
                f = wide.as_str(),
                g = marks.as_str(),
                h = marks.as_str(),
                i = marks.as_str(),
                j = marks.as_str(),
                k = marks.as_str(),
                l = marks.as_str(),
                m = wide.as_str(),
                n = wide.as_str(),
                o = wide.as_str(),
                p = wide.as_str(),
                q = wide.as_str(),
                r = wide.as_str(),
                "report failed"
            );
        }
    });
    let stats: AlertStats = guard.shutdown();
    assert_eq!(stats.events, 300, "{stats:?}");
    assert_eq!(stats.refused, 0, "a message was too large: {stats:?}");

    let requests = server.requests();
    assert!(!requests.is_empty());
    for request in &requests {
        assert!(
            request.body_len <= 20_000,
            "{} bytes sent",
            request.body_len
        );
        assert_eq!(request.errcode, Some(0), "{request:?}");
    }
    let received = server.received();
    let counted = counted(&received);
    assert_eq!(
        counted.iter().map(|(n, _)| n).sum::<u64>(),
        299,
        "{received:?}"
    );
    assert!(
        counted.iter().any(|(_, body)| body.contains("distinct)")),
        "no field lists its values: {counted:?}"
    );
}
