//! What a group reads in an alert storm: 500 failed orders pushed within 10 seconds
//! reach it as the first order in full, then a summary with one line per order — a few
//! messages, every order once — against the emulator, on a manual clock.

mod emulator;

use std::time::{Duration, Instant};

use dingbot::clock::Clock;
use dingbot::markdown::{Inline, Writer};
use dingbot::mock::MockServer;
use dingbot::{
    Detail, DigestConfig, DigestStats, DingMessage, Markdown, Message, Payload, Robot, Text,
};

const ON_CALL: &str = "13800000000";

/// The trial's event: an order that failed, about 1 KB rendered, with its items and the
/// on-call engineer mentioned.
struct OrderFailed {
    n: usize,
}

impl OrderFailed {
    fn id(&self) -> String {
        format!("SO-2026/{}", self.n)
    }
}

impl DingMessage for OrderFailed {
    fn to_message(&self) -> Message {
        let title = format!("Order {} failed", self.id());
        let items = (0..8).map(|i| {
            Inline::text(&format!(
                "SKU-{:05} · Widget, blue, large × {} @ 120.00 (warehouse HZ-{})",
                self.n * 8 + i,
                i + 1,
                i % 3
            ))
        });
        let text = Writer::new()
            .heading(4, title.as_str())
            .field("customer", "Globex Corporation (key account)")
            .field("amount", "1,234.00 CNY")
            .field(
                "reason",
                "payment declined by the card issuer; a retry is scheduled in 15 minutes",
            )
            .list(items)
            .paragraph(Inline::link(
                "Open in the back office",
                "https://erp.example.com/orders",
            ))
            .finish();
        Markdown::new(title, text).at_mobiles([ON_CALL]).into()
    }

    fn summary(&self) -> Option<String> {
        Some(format!("{} Globex: 1,234.00", self.id()))
    }
}

/// What the group received from a storm, and what it cost.
struct Storm {
    server: MockServer,
    stats: DigestStats,
    /// From the first push to the first message, on the robot's clock.
    first_message: Duration,
    /// From the first push to the last message.
    last_message: Duration,
}

impl Storm {
    fn bodies(&self) -> Vec<String> {
        self.server
            .received()
            .iter()
            .map(|m| m.body().unwrap_or("").to_owned())
            .collect()
    }

    fn summary_bytes(&self) -> u64 {
        self.server
            .requests()
            .iter()
            .filter(|r| r.body_text().contains("events: "))
            .map(|r| r.body_len)
            .sum()
    }

    fn report(&self, label: &str) {
        let requests = self.server.requests();
        let all: u64 = requests.iter().map(|r| r.body_len).sum();
        let merged = self.stats.merged.max(1);
        eprintln!(
            "{label}: {} messages, {} bytes per event in summaries, {all} bytes in all, \
             first message after {:?}, last after {:?} ({:?})",
            requests.len(),
            self.summary_bytes() / merged,
            self.first_message,
            self.last_message,
            self.stats,
        );
    }
}

/// 500 orders within 10 seconds of `clock`, to one robot at DingTalk's
/// 20 messages a minute whose keyword is 告警, through a digest with `config`.
async fn storm(config: DigestConfig) -> Storm {
    let clock = Clock::manual();
    let server = MockServer::builder()
        .keywords(["告警"])
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let robot = Robot::builder(server.webhook_url())
        .keywords(["告警"])
        .ensure_keyword(true)
        .clock(clock.clone())
        .build()
        .unwrap();
    let digest = robot.digest(config).unwrap();
    let start = clock.now();
    // One every 20 ms of the clock.
    for n in 0..500 {
        digest.push(&OrderFailed { n }).unwrap();
        // A millisecond of real time for 20 ms of the clock: the requests under way
        // make progress as they would beside a service's pushes.
        tokio::time::sleep(Duration::from_millis(1)).await;
        clock.advance(Duration::from_millis(20));
    }
    let stats = digest.close().await;
    let requests = server.requests();
    let (first, last): (Instant, Instant) = (requests[0].at, requests[requests.len() - 1].at);
    Storm {
        first_message: first.saturating_duration_since(start),
        last_message: last.saturating_duration_since(start),
        server,
        stats,
    }
}

/// How many times `id` appears in `text`, not counting longer ids it starts
/// (`SO-2026/1` in `SO-2026/10`).
fn occurrences(text: &str, id: &str) -> usize {
    text.match_indices(id)
        .filter(|(at, _)| {
            !text[at + id.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
        .count()
}

#[tokio::test]
async fn an_order_storm_reads_as_one_line_per_order() {
    let sample = Payload::new(&OrderFailed { n: 123 }).unwrap();
    assert!((900..1_400).contains(&sample.len()), "{}", sample.len());

    let storm = storm(DigestConfig::default()).await;
    storm.report("lines");
    let requests = storm.server.requests();
    assert!(requests.iter().all(|r| r.errcode == Some(0)));
    assert!(requests.len() <= 4, "{} messages", requests.len());
    assert_eq!(storm.stats.events, 500);
    assert_eq!(storm.stats.sent_alone + storm.stats.merged, 500);
    assert_eq!(storm.stats.counted, 0, "{:?}", storm.stats);
    assert!(
        storm.summary_bytes() <= 160 * storm.stats.merged,
        "{} bytes for {} events",
        storm.summary_bytes(),
        storm.stats.merged
    );
    // The first order goes in full at once, not gathered for 10 s.
    assert_eq!(storm.stats.sent_alone, 1, "{:?}", storm.stats);
    assert!(
        storm.first_message < Duration::from_secs(1),
        "{:?}",
        storm.first_message
    );
    let bodies = storm.bodies();
    assert!(
        bodies[0].starts_with("#### Order SO-2026/0 failed"),
        "{}",
        bodies[0]
    );
    assert!(bodies[0].contains("Widget, blue"), "{}", bodies[0]);

    let all = bodies.join("\n");
    let missing: Vec<usize> = (0..500)
        .filter(|n| occurrences(&all, &format!("SO-2026/{n}")) != 1)
        .collect();
    assert!(missing.is_empty(), "not exactly once: {missing:?}");
    // Mentioned once per message, never once per order.
    assert!(bodies.iter().all(|b| b.matches(ON_CALL).count() == 1));

    let received = storm.server.received();
    let titles: Vec<&str> = received.iter().filter_map(|m| m.title()).collect();
    let summaries: Vec<&&str> = titles.iter().filter(|t| t.contains("events")).collect();
    assert!(!summaries.is_empty());
    let parts = summaries.len();
    for (i, title) in summaries.iter().enumerate() {
        // The round's total in every part, the keyword first.
        let part = if parts > 1 {
            format!(" ({}/{parts})", i + 1)
        } else {
            String::new()
        };
        assert_eq!(
            **title,
            format!("告警 499 events: 499 × Order failed{part}"),
            "{titles:?}"
        );
    }
    let summary = &bodies[1];
    assert!(summary.contains("**Order failed**"), "{summary}");
    assert!(
        summary.contains(" SO-2026/1 Globex: 1,234.00\n"),
        "{summary}"
    );
}

#[tokio::test]
async fn a_round_beyond_its_messages_counts_the_rest() {
    let storm = storm(DigestConfig::default().max_messages_per_round(1)).await;
    storm.report("one message a round");
    let stats = &storm.stats;
    assert_eq!(stats.messages, 2, "{stats:?}");
    assert!(stats.counted > 0, "{stats:?}");
    let summary = &storm.bodies()[1];
    let more = format!("… and {} more", stats.counted);
    assert!(summary.contains(&more), "{summary}");
    let listed = (0..500)
        .filter(|n| occurrences(summary, &format!("SO-2026/{n}")) == 1)
        .count() as u64;
    // Every order is listed or counted, none twice.
    assert_eq!(listed + stats.counted + stats.sent_alone, 500, "{stats:?}");
}

#[tokio::test]
async fn full_and_counts_detail() {
    let full = storm(DigestConfig::default().detail(Detail::Full)).await;
    full.report("full");
    let bodies = full.bodies();
    assert!(
        bodies[1].contains("##### 1. 告警 Order SO-2026/1 failed"),
        "{}",
        &bodies[1][..300]
    );
    assert!(bodies[1].contains("Widget, blue"));

    let counts = storm(DigestConfig::default().detail(Detail::Counts)).await;
    counts.report("counts");
    let received = counts.server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(counts.stats.counted, 499);
    assert_eq!(
        received[1].body(),
        Some("#### 告警 499 events: 499 × Order failed\n\n- 499 × Order failed\n\n@13800000000")
    );
}

#[tokio::test]
async fn a_lone_event_still_goes_alone() {
    let (clock, server, robot) = emulator::pair(MockServer::builder(), |r| r).await;
    let digest = robot.digest(DigestConfig::default()).unwrap();
    digest.push(&Text::new("disk full")).unwrap();
    let stats = digest.flush().await;
    assert_eq!((stats.sent_alone, stats.summaries), (1, 0));
    // Much later: a quiet spell, so alone again, at once.
    clock.advance(Duration::from_secs(60));
    digest.push(&Text::new("disk full again")).unwrap();
    let stats = digest.close().await;
    assert_eq!((stats.sent_alone, stats.summaries), (2, 0));
    assert_eq!(server.received()[1].body(), Some("disk full again"));
}
