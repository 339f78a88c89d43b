//! One member of a fleet, for the Redis pacing tests: sends `--count` text messages
//! through one robot, all at once from as many tasks, and prints one line per message:
//! `sent <msgUuid>`, `throttled <errcode>` (DingTalk throttled it), `limited <ms>
//! throttled=<bool>` (a fail-fast robot was held back by pacing), `conflict <error>` or
//! `error <error>`.
//!
//! ```text
//! fleet_sender --webhook URL [--redis URL] [--rate 20/3s] [--margin-ms 500]
//!              [--count 15] [--id 0] [--fail-fast]
//! ```
//!
//! A process that DingTalk throttled stops sending (it would hold its sends for ten
//! minutes), so that a run without Redis ends and shows the throttle.

use std::time::Duration;

use dingbot::{Error, Pacing, Rate, RetryPolicy, Robot, Text};

struct Args {
    webhook: String,
    redis: Option<String>,
    rate: Rate,
    margin: Duration,
    count: usize,
    id: usize,
    pacing: Pacing,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        webhook: String::new(),
        redis: None,
        rate: Rate::DINGTALK,
        margin: Duration::from_millis(500),
        count: 15,
        id: 0,
        pacing: Pacing::Wait,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        if flag == "--fail-fast" {
            args.pacing = Pacing::FailFast;
            continue;
        }
        let value = given
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |v: &str| v.parse::<u64>().map_err(|e| format!("{flag} {v}: {e}"));
        match flag.as_str() {
            "--webhook" => args.webhook = value,
            "--redis" => args.redis = Some(value),
            "--rate" => args.rate = value.parse().map_err(|e: Error| e.to_string())?,
            "--margin-ms" => args.margin = Duration::from_millis(number(&value)?),
            "--count" => args.count = number(&value)? as usize,
            "--id" => args.id = number(&value)? as usize,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if args.webhook.is_empty() {
        return Err("--webhook is required".into());
    }
    Ok(args)
}

#[tokio::main]
async fn main() {
    let args = match parse() {
        Ok(args) => args,
        Err(err) => {
            eprintln!("fleet_sender: {err}");
            std::process::exit(2);
        }
    };
    let mut builder = Robot::builder(&args.webhook)
        .rate_limit(args.rate)
        .pacing_margin(args.margin)
        .pacing(args.pacing)
        .timeout(Duration::from_secs(2))
        .retry(RetryPolicy::default().max_attempts(1));
    if let Some(url) = &args.redis {
        builder = builder.redis_pacing(url);
    }
    let robot = match builder.build() {
        Ok(robot) => robot,
        Err(err) => {
            println!("conflict {err}");
            return;
        }
    };
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let mut tasks = Vec::new();
    for i in 0..args.count {
        let robot = robot.clone();
        let stop_tx = stop_tx.clone();
        let mut stop = stop.clone();
        let message = Text::new(format!("fleet {} message {i}", args.id));
        tasks.push(tokio::spawn(async move {
            let line = tokio::select! {
                result = robot.send(&message) => match result {
                    Ok(sent) => format!("sent {}", sent.msg_uuid),
                    Err(err) if err.is_throttled() => {
                        let _ = stop_tx.send(true);
                        format!("throttled {}", err.errcode().unwrap_or_default())
                    }
                    Err(Error::RateLimited { retry_after, throttled }) => {
                        format!("limited {} throttled={throttled}", retry_after.as_millis())
                    }
                    Err(err @ Error::PacingConflict { .. }) => format!("conflict {err}"),
                    Err(err) => format!("error {err}"),
                },
                _ = stop.wait_for(|stopped| *stopped) => "stopped".to_owned(),
            };
            println!("{line}");
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    // Let the last answers' slots be scored in Redis before the runtime goes.
    tokio::time::sleep(Duration::from_millis(100)).await;
}
