//! `dingbot send`: one message to a robot's webhook.
//!
//! The message is built with the library's own types and encoded as a [`Payload`], so
//! the command checks exactly what `Robot::send` checks (required fields, size, mentions
//! written into the body) and `--dry-run` prints exactly what would be posted.
//!
//! This file sends (or prints) and reports the outcome; `send/flags.rs` holds the flags,
//! `send/message.rs` builds the message they describe.

mod app;
mod flags;
mod message;

use std::io::Write;

use dingbot::{Payload, RetryPolicy, Robot};
use serde_json::json;

use crate::exit::{self, Failure};
use crate::output::{print_line, reader_gone};
use dingbot::Redacted;

pub use flags::Args;

/// Sends the message (or prints it, with `--dry-run`).
///
/// What is printed never changes the outcome for the worse: a message that was sent
/// stays sent (exit 0) even when stdout is gone, and a reader that closed the pipe
/// early (`| head -c0`) is not an error.
pub async fn run(args: Args) -> Result<(), Failure> {
    let json = args.target.json;
    let result = send(args).await;
    let line = if json {
        Some(
            match &result {
                Ok(Outcome::Sent { msg_uuid, attempts }) => {
                    json!({ "ok": true, "msgUuid": msg_uuid, "attempts": attempts })
                }
                Ok(Outcome::AppSent(sent)) => json!({
                    "ok": true,
                    "processQueryKey": sent.process_query_key,
                    "attempts": sent.attempts,
                }),
                Ok(Outcome::AppPrinted(msg)) => json!({
                    "ok": true,
                    "dry_run": true,
                    "msgKey": msg.msg_key(),
                    "msgParam": msg.msg_param(),
                }),
                Ok(Outcome::Printed(payload)) => json!({
                    "ok": true,
                    "dry_run": true,
                    "payload": serde_json::from_slice::<serde_json::Value>(payload.body())
                        .unwrap_or_default(),
                }),
                Err(failure) => json!({
                    "ok": false,
                    "class": failure.class.name(),
                    "exit_code": failure.class.code(),
                    "errcode": failure.errcode,
                    "error": failure.message,
                    "hint": failure.hint,
                }),
            }
            .to_string(),
        )
    } else if let Ok(Outcome::Printed(payload)) = &result {
        Some(String::from_utf8_lossy(payload.body()).into_owned())
    } else if let Ok(Outcome::AppPrinted(msg)) = &result {
        Some(json!({ "msgKey": msg.msg_key(), "msgParam": msg.msg_param() }).to_string())
    } else {
        None
    };
    match &result {
        Ok(Outcome::Sent { msg_uuid, .. }) if !json => {
            let _ = writeln!(std::io::stderr(), "dingbot: sent (msgUuid {msg_uuid})");
        }
        Ok(Outcome::AppSent(sent)) if !json => {
            let key = &sent.process_query_key;
            let _ = writeln!(std::io::stderr(), "dingbot: sent (processQueryKey {key})");
        }
        _ => {}
    }
    let printed = line.map_or(Ok(()), |line| print_line(&line));
    match (result, printed) {
        (Err(failure), _) => Err(failure),
        (Ok(_), Ok(())) => Ok(()),
        (Ok(_), Err(e)) if reader_gone(&e) => Ok(()),
        (Ok(Outcome::Sent { msg_uuid, .. }), Err(e)) => {
            let _ = writeln!(
                std::io::stderr(),
                "dingbot: sent (msgUuid {msg_uuid}), but cannot write to stdout: {e}"
            );
            Ok(())
        }
        (Ok(Outcome::AppSent(_)), Err(_)) => Ok(()),
        (Ok(Outcome::Printed(_) | Outcome::AppPrinted(_)), Err(e)) => Err(Failure::internal(
            format!("cannot write the payload to stdout: {e}"),
        )),
    }
}

enum Outcome {
    Sent { msg_uuid: String, attempts: u32 },
    Printed(Payload),
    AppSent(dingbot::AppSent),
    AppPrinted(dingbot::AppMessage),
}

async fn send(args: Args) -> Result<Outcome, Failure> {
    let message = message::build(args.kind)?;
    if args.app.app {
        return app::send(&message, &args.app, &args.target).await;
    }
    if args.app.group.is_some() || !args.app.users.is_empty() {
        return Err(Failure::bad_input("--group and --user need --app")
            .hint("add --app to send as an enterprise app's robot, or leave them out"));
    }
    let payload = match &args.target.msg_uuid {
        Some(id) if id.trim().is_empty() => {
            return Err(
                Failure::bad_input("--msg-uuid is empty").hint("leave it out for a random one")
            );
        }
        Some(id) => Payload::with_msg_uuid(&message, id.clone())?,
        None => Payload::new(&message)?,
    };
    let target = &args.target;
    // A flag beats the variable; empty means none, the same for both.
    let webhook = given(target.webhook.as_ref(), "DINGTALK_WEBHOOK");
    let secret = given(target.secret.as_ref(), "DINGTALK_SECRET");
    if target.dry_run && webhook.is_none() {
        return Ok(Outcome::Printed(payload));
    }
    let Some(webhook) = webhook else {
        return Err(Failure::bad_input("no webhook to send to")
            .hint("pass --webhook URL or set DINGTALK_WEBHOOK (or use --dry-run to only print the payload)"));
    };
    if webhook.len() > MAX_WEBHOOK_BYTES {
        return Err(Failure::bad_input(format!(
            "the webhook is {} bytes long; a robot's webhook is about 120 (at most {MAX_WEBHOOK_BYTES} are taken)",
            webhook.len()
        ))
        .hint("set DINGTALK_WEBHOOK (or --webhook) to the robot's webhook URL or its access token"));
    }
    let mut builder = Robot::builder(webhook);
    if let Some(secret) = &secret {
        builder = builder.secret(secret);
    }
    if let Some(timeout) = target.timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(attempts) = target.attempts {
        builder = builder.retry(RetryPolicy::default().max_attempts(attempts));
    }
    // Built even for a dry run, so that a bad webhook or secret is reported.
    let robot = builder.build()?;
    if target.dry_run {
        return Ok(Outcome::Printed(payload));
    }
    let sent = robot.send_payload(&payload).await.map_err(|err| {
        let unsigned = secret.is_none() && exit::is_signature_rejection(&err);
        let failure = Failure::from(err);
        if unsigned {
            failure.hint(
                "this robot signs its requests: set DINGTALK_SECRET (or --secret) to its \
                 signing secret (SEC...)",
            )
        } else {
            failure
        }
    })?;
    Ok(Outcome::Sent {
        msg_uuid: sent.msg_uuid,
        attempts: sent.attempts,
    })
}

/// The longest webhook taken. DingTalk's is about 120 bytes (the endpoint and a
/// 64-character access token), and signing adds about 80 more; 4 KiB leaves room for any
/// proxy or gateway in front of it, and stays well under the 8 KiB request line that
/// common servers and proxies refuse beyond (nginx, hyper). A longer one is a mistake (a
/// file or a variable pasted whole), refused as bad input before anything is sent:
/// posted, it fails on every attempt in a way that looks passing.
const MAX_WEBHOOK_BYTES: usize = 4096;

/// The flag's value, else the variable's. Empty means none, for the webhook and the
/// secret alike: an empty flag still beats the variable (`--secret ''` sends unsigned
/// whatever DINGTALK_SECRET says), an empty variable is as good as unset.
fn given(flag: Option<&Redacted>, variable: &str) -> Option<String> {
    match flag {
        Some(value) => Some(value.expose().to_owned()),
        None => std::env::var(variable).ok(),
    }
    .filter(|value| !value.is_empty())
}
