//! Sends 100,000 messages to the emulator and prints the process's resident memory as it
//! goes, to show that sending keeps memory flat.
//!
//! ```text
//! cargo run --release -p dingbot-examples --example memory_soak [COUNT]
//! ```
//!
//! The emulator runs in the same process and records what it accepts, so it is reset
//! every 1,000 messages: what is measured is the robot, not the emulator's log.

use dingbot::mock::MockServer;
use dingbot::{Markdown, Pacing, Robot};

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let secret = "SECsoak0123456789abcdef";
    let server = MockServer::builder()
        .secret(secret)
        .no_rate_limit()
        .start()
        .await?;
    // Pacing off: 100,000 sends at DingTalk's 20 a minute would take 3.5 days.
    let robot = Robot::builder(server.webhook_url())
        .secret(secret)
        .pacing(Pacing::Off)
        .build()?;

    let start = std::time::Instant::now();
    let mut warm_rss = 0;
    for i in 0..count {
        let msg = Markdown::new(
            format!("Event {i}"),
            format!("#### Event {i}\n\n**Value**: {}", i * 7),
        )
        .at_mobiles(["13800000000"]);
        robot.send(&msg).await?;
        if (i + 1) % 1_000 == 0 {
            server.reset();
        }
        if i + 1 == 1_000 {
            warm_rss = rss_kib().unwrap_or(0);
            println!(
                "after {:>7} sends: RSS {:>6} KiB (baseline after warm-up)",
                i + 1,
                warm_rss
            );
        } else if (i + 1) % 20_000 == 0 {
            println!(
                "after {:>7} sends: RSS {:>6} KiB",
                i + 1,
                rss_kib().unwrap_or(0)
            );
        }
    }
    let end_rss = rss_kib().unwrap_or(0);
    let elapsed = start.elapsed();
    println!(
        "{count} sends in {:.1}s ({:.0}/s); RSS {} KiB after warm-up, {} KiB at the end ({:+} KiB); peak {} KiB",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        warm_rss,
        end_rss,
        end_rss as i64 - warm_rss as i64,
        hwm_kib().unwrap_or(0)
    );
    Ok(())
}
