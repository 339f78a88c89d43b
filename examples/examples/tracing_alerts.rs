//! Errors in the logs reach the group: `tracing::error!` calls become DingTalk messages
//! through a digest, while the fmt layer keeps printing everything.
//!
//! With `DINGTALK_WEBHOOK` (and optionally `DINGTALK_SECRET`) set, it sends to your real
//! group; without them it sends to the built-in emulator, so it works offline:
//!
//! ```text
//! cargo run -p dingbot-examples --example tracing_alerts
//! ```

use dingbot::Robot;
use dingbot::mock::MockServer;
use tracing_subscriber::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The emulator is only started when no real webhook is configured.
    let server = match std::env::var("DINGTALK_WEBHOOK") {
        Ok(_) => None,
        Err(_) => Some(MockServer::start_blocking()?),
    };
    let robot = match &server {
        Some(server) => Robot::new(server.webhook_url())?,
        None => Robot::from_env()?,
    };

    let (layer, guard) = dingbot::tracing::builder(robot)
        .service("orders-api")
        .host("web-7")
        .build();
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer())
        .with(layer)
        .init();

    tracing::info!("started"); // printed, not sent
    let span = tracing::info_span!("checkout", customer = "ACME *Corp*");
    span.in_scope(|| {
        tracing::error!(order = 1842, reason = "card declined", "payment failed");
        // An error loop: counted into one message, never a throttled robot.
        for attempt in 0..1_000 {
            tracing::error!(attempt, "db timeout");
        }
    });

    let stats = guard.shutdown(); // delivers what is queued, bounded
    println!(
        "{} events taken, {} messages, {} dropped",
        stats.events, stats.messages, stats.dropped
    );
    if let Some(server) = server {
        for msg in server.received() {
            println!(
                "--- {}\n{}",
                msg.title().unwrap_or(""),
                msg.body().unwrap_or("")
            );
        }
    }
    Ok(())
}
