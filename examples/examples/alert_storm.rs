//! An alert storm: 500 events in 50 seconds, through a `Digest`, against the emulator.
//!
//! DingTalk allows 20 messages a minute and throttles a robot that sends more for ten
//! minutes. The digest sends the storm's first event as it is, at once, then gathers
//! what follows for 10 seconds at a time into summaries: the events grouped by kind, one
//! line each, everyone mentioned once at the end. The emulator and the robot share a
//! manual clock, so the storm takes milliseconds.
//!
//! ```text
//! cargo run -p dingbot-examples --example alert_storm
//! ```

use std::time::Duration;

use dingbot::clock::Clock;
use dingbot::mock::MockServer;
use dingbot::{DigestConfig, DingMessage, Markdown, Message, Robot};

/// An alert as a service raises it.
struct Alert {
    n: usize,
    kind: &'static str,
    host: String,
    owner: &'static str,
}

impl DingMessage for Alert {
    fn to_message(&self) -> Message {
        Markdown::new(
            format!("{} #{}", self.kind, self.n),
            format!(
                "#### {} #{}\n\n**Host**: {}\n\n**Runbook**: https://wiki.example.com/{}",
                self.kind,
                self.n,
                self.host,
                self.kind.replace(' ', "-").to_lowercase()
            ),
        )
        .at_mobiles([self.owner])
        .into()
    }

    /// The line a summary shows for it.
    fn summary(&self) -> Option<String> {
        Some(format!("{}: alert {}", self.host, self.n))
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let clock = Clock::manual();
    let server = MockServer::builder()
        .keyword("告警")
        .clock(clock.clone())
        .start()
        .await?;
    let robot = Robot::builder(server.webhook_url())
        .keywords(["告警"])
        .ensure_keyword(true)
        .clock(clock.clone())
        .build()?;
    let digest = robot.digest(DigestConfig::default())?;

    let start = clock.now();
    for n in 0..500 {
        let (kind, owner) = [
            ("Order failed", "13800000001"),
            ("Order failed", "13800000001"),
            ("Payment late", "13800000002"),
            ("Disk full", "13800000003"),
        ][n % 4];
        let host = format!("app-{}", n % 12);
        digest.push(&Alert {
            n,
            kind,
            host,
            owner,
        })?;
        tokio::task::yield_now().await;
        clock.advance(Duration::from_millis(100));
    }
    let stats = digest.close().await;

    let requests = server.requests();
    let throttled = requests
        .iter()
        .filter(|r| r.errcode == Some(130101))
        .count();
    println!(
        "{} events -> {} messages ({} sent as it was, {} summaries carrying {} events)",
        stats.events, stats.messages, stats.sent_alone, stats.summaries, stats.merged
    );
    println!(
        "DingTalk time: {:.0}s; requests answered 'send too fast': {throttled}",
        (clock.now() - start).as_secs_f64()
    );
    let received = server.received();
    if let Some(summary) = received
        .iter()
        .find(|m| m.title().is_some_and(|t| t.contains("events:")))
    {
        println!(
            "\nA summary, as the group reads it:\n\n  {}\n",
            summary.title().unwrap_or("")
        );
        let lines: Vec<&str> = summary.body().unwrap_or("").lines().collect();
        for (i, line) in lines.iter().enumerate() {
            // The middle of a long kind, left out here (the group sees it all).
            if lines.len() > 40 && (16..lines.len() - 16).contains(&i) {
                if i == 16 {
                    println!("  | ... {} more lines ...", lines.len() - 32);
                }
                continue;
            }
            println!("  | {line}");
        }
    }
    Ok(())
}
