//! An alert storm: 500 events in 50 seconds, through a `Digest`, against the emulator.
//!
//! DingTalk allows 20 messages a minute and throttles a robot that sends more for ten
//! minutes. The digest sends events as they are while the window has room, then merges
//! the rest into markdown summaries. The emulator and the robot share a manual clock, so
//! the minutes this takes pass in milliseconds.
//!
//! ```text
//! cargo run -p dingbot-examples --example alert_storm
//! ```

use std::time::Duration;

use dingbot::clock::Clock;
use dingbot::mock::MockServer;
use dingbot::{DigestConfig, Markdown, Robot};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let clock = Clock::manual();
    let server = MockServer::builder().clock(clock.clone()).start().await?;
    let robot = Robot::builder(server.webhook_url())
        .clock(clock.clone())
        .build()?;
    let digest = robot.digest(DigestConfig::default())?;

    let start = clock.now();
    for i in 0..500 {
        let (kind, owner) = [
            ("Order failed", "13800000001"),
            ("Payment late", "13800000002"),
            ("Disk full", "13800000003"),
        ][i % 3];
        let event = Markdown::new(
            format!("{kind} #{i}"),
            format!("#### {kind} #{i}\n\n**Host**: app-{}", i % 12),
        )
        .at_mobiles([owner]);
        digest.push(&event)?;
        if i % 10 == 9 {
            clock.advance(Duration::from_secs(1));
            tokio::task::yield_now().await;
        }
    }
    let stats = digest.close().await;

    let requests = server.requests();
    let throttled = requests
        .iter()
        .filter(|r| r.errcode == Some(130101))
        .count();
    println!(
        "{} events -> {} messages ({} sent as they were, {} summaries carrying {} events)",
        stats.events, stats.messages, stats.sent_alone, stats.summaries, stats.merged
    );
    println!(
        "DingTalk time: {:.0}s; requests answered 'send too fast': {throttled}",
        (clock.now() - start).as_secs_f64()
    );
    if let Some(summary) = server
        .received()
        .iter()
        .find(|m| m.title().is_some_and(|t| t.contains("events:")))
    {
        let body = summary.body().unwrap_or("");
        println!(
            "\nA summary, as the group sees it:\n  title: {}",
            summary.title().unwrap_or("")
        );
        for line in body.lines().take(12) {
            println!("  | {line}");
        }
        println!("  | ...");
    }
    Ok(())
}
