//! `dingbot::tracing`: error events reach the group through a digest, escaped, counted,
//! never throttled, and never blocking or looping.

mod emulator;

use std::thread;
use std::time::Duration;

use dingbot::mock::MockServer;
use dingbot::tracing::AlertStats;
use dingbot::{Message, Robot};
use tracing::{Dispatch, Level};
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

#[test]
fn fields_and_span_fields_arrive_escaped() {
    let (server, robot) = on_thread();
    let (layer, guard) = dingbot::tracing::builder(robot)
        .service("orders-api")
        .host("web-7")
        .build();
    let subscriber = tracing_subscriber::registry().with(layer);
    tracing::subscriber::with_default(subscriber, || {
        let span = tracing::info_span!("checkout", customer = "*ACME* [win](https://evil.example)");
        let _entered = span.enter();
        tracing::error!(
            order = 7,
            note = "# not a heading\n- not a list",
            "payment failed"
        );
    });
    let stats = guard.shutdown();
    assert_eq!(stats.events, 1, "{stats:?}");

    let received = server.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let Message::Markdown(md) = &received[0] else {
        panic!("not markdown: {received:?}");
    };
    assert_eq!(
        md.title(),
        "ERROR tracing_layer: payment failed",
        "the default title: level, target, message"
    );
    let body = md.text();
    assert!(body.starts_with("### payment failed"), "{body}");
    assert!(body.contains("**order**: 7"), "{body}");
    assert!(
        !body.contains("\n# not"),
        "a field value made a heading: {body}"
    );
    assert!(
        !body.contains("\n- not"),
        "a field value made a list: {body}"
    );
    assert!(body.contains("checkout"), "the span is missing: {body}");
    assert!(
        body.contains("\\*ACME\\*"),
        "span fields are escaped: {body}"
    );
    assert!(
        body.contains("\\[win\\](https://evil.example)"),
        "a span field made a link: {body}"
    );
    assert!(
        body.contains("tracing\\_layer.rs:"),
        "the location is missing: {body}"
    );
    assert!(body.contains("**service**: orders-api"), "{body}");
    assert!(body.contains("**host**: web-7"), "{body}");
}

/// The number after `**label**: ` on each line that has it.
fn numbers_after<'a>(text: &'a str, label: &'a str) -> impl Iterator<Item = u64> + 'a {
    let marker = format!("**{label}**: ");
    text.lines().filter_map(move |line| {
        let at = line.find(&marker)?;
        let digits: String = line[at + marker.len()..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ',')
            .filter(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    })
}

#[test]
fn an_error_loop_on_eight_threads_gives_a_few_summaries_and_counts_every_event() {
    let (server, robot) = on_thread(); // rate-limited: 20 messages a minute
    let (layer, guard) = dingbot::tracing::builder(robot)
        .service("orders-api")
        .build();
    let dispatch = Dispatch::new(tracing_subscriber::registry().with(layer));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let dispatch = dispatch.clone();
            thread::spawn(move || {
                tracing::dispatcher::with_default(&dispatch, || {
                    for i in 0..1_250 {
                        tracing::error!(thread = t, attempt = i, "db timeout");
                    }
                });
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let stats: AlertStats = guard.shutdown();
    assert_eq!(stats.events, 10_000, "{stats:?}");

    let requests = server.requests();
    assert!(
        requests.iter().all(|r| r.errcode == Some(0)),
        "a request was refused (130101?): {:?}",
        requests.iter().map(|r| r.errcode).collect::<Vec<_>>()
    );
    let received = server.received();
    assert!(received.len() <= 20, "{} messages", received.len());
    assert!(!received.is_empty());

    // Every event is in a message: alone, counted ("N ×"), or reported dropped.
    let (mut events, mut dropped) = (0, 0);
    for msg in &received {
        let body = text(msg);
        let alone = body.matches("**level**: ").count() as u64;
        let counted: Vec<u64> = numbers_after(&body, "occurrences").collect();
        events += alone - counted.len() as u64 + counted.iter().sum::<u64>();
        dropped += numbers_after(&body, "dropped").sum::<u64>();
    }
    assert_eq!(dropped, stats.dropped, "{stats:?}");
    assert_eq!(events + dropped, 10_000, "{stats:?}");
    assert!(
        received
            .iter()
            .any(|m| m.title().is_some_and(|t| t.contains(" × ERROR"))),
        "no counted message: {:?}",
        received.iter().map(|m| m.title()).collect::<Vec<_>>()
    );
}

#[test]
fn events_below_the_level_or_from_excluded_targets_never_send() {
    let (server, robot) = on_thread();
    let (layer, guard) = dingbot::tracing::builder(robot)
        .level(Level::WARN)
        .exclude_targets(["noisy"])
        .build();
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
        tracing::info!("below the level");
        tracing::debug!("below the level");
        tracing::error!(target: "noisy", "excluded");
        tracing::error!(target: "noisy::inner", "excluded too");
        tracing::error!(target: "dingbot::digest", "dingbot's own");
        tracing::error!(target: "hyper::proto", "the HTTP stack's");
        tracing::warn!(target: "noisy_neighbour", "not inside noisy: sent");
    });
    let stats = guard.shutdown();
    assert_eq!(stats.events, 1, "{stats:?}");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(text(&received[0]).contains("not inside noisy"));
}

#[test]
fn a_plain_thread_without_a_runtime_can_log() {
    let (server, robot) = on_thread();
    let (layer, guard) = dingbot::tracing::layer(robot);
    let dispatch = Dispatch::new(tracing_subscriber::registry().with(layer));
    thread::spawn(move || {
        assert!(tokio::runtime::Handle::try_current().is_err());
        tracing::dispatcher::with_default(&dispatch, || {
            tracing::error!(job = "nightly", "export failed");
        });
    })
    .join()
    .unwrap();
    drop(guard);
    assert_eq!(server.received().len(), 1);
}

#[test]
fn a_current_thread_runtime_can_log() {
    let (server, robot) = on_thread();
    let (layer, guard) = dingbot::tracing::layer(robot);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
        runtime.block_on(async {
            tracing::error!("inside the runtime");
            tokio::task::yield_now().await;
        });
    });
    drop(guard); // dropped outside any runtime
    assert_eq!(server.received().len(), 1);
}

#[test]
fn dropping_the_guard_delivers_what_was_queued() {
    let (server, robot) = on_thread();
    let (layer, guard) = dingbot::tracing::builder(robot)
        .shutdown_timeout(Duration::from_secs(20))
        .build();
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
        for i in 0..30 {
            // Distinct messages: none is counted into another.
            tracing::error!("disk {i} failed");
        }
    });
    drop(guard);
    let received = server.received();
    let bodies: String = received.iter().map(text).collect();
    for i in 0..30 {
        assert!(
            bodies.contains(&format!("disk {i} failed")),
            "disk {i}: {bodies}"
        );
    }
    assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
}

#[test]
fn flush_waits_for_delivery_and_mentions_follow_the_level() {
    let (server, robot) = on_thread();
    let (layer, guard) = dingbot::tracing::builder(robot)
        .level(Level::WARN)
        .mentions(dingbot::tracing::Mentions::new().mobiles(["13800000000"]))
        .level_mentions(Level::WARN, dingbot::tracing::Mentions::new())
        .build();
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
        tracing::error!("paged");
        tracing::warn!("not paged");
    });
    let stats = guard.flush();
    assert_eq!(stats.digest.messages, 2, "{stats:?}");
    let received = server.received();
    let paged = received
        .iter()
        .find(|m| text(m).contains("### paged"))
        .unwrap();
    let quiet = received
        .iter()
        .find(|m| text(m).contains("not paged"))
        .unwrap();
    assert!(text(paged).contains("@13800000000"), "{}", text(paged));
    assert!(!text(quiet).contains("@13800000000"));
}
