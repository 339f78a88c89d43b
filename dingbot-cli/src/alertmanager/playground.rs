//! `dingbot alertmanager render`: prometheus-webhook-dingtalk's template playground on
//! the command line. Reads a notification (Alertmanager's webhook JSON) on stdin and
//! prints each message a target would send for it — title and text, or with `--json`
//! the JSON DingTalk would receive — without sending anything. A config whose templates
//! do not parse, or a template failing on this notification, exits non-zero with the
//! file, the line and the error.

use std::io::{Read as _, Write as _};
use std::path::PathBuf;

use dingbot::Payload;

use super::config::Config;
use super::payload::Notification;
use super::render::{Mentions, Style, render_checked};
use crate::exit::Failure;

/// The most a notification on stdin may be, as the bridge's endpoint takes.
const MAX_INPUT: u64 = 16 * 1024 * 1024;

/// Flags of `dingbot alertmanager render`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The config file, as `dingbot alertmanager` reads it
    #[arg(
        long,
        visible_alias = "config.file",
        value_name = "FILE",
        default_value = "config.yml"
    )]
    config: PathBuf,
    /// Only this target's messages (default: every target's)
    #[arg(long, value_name = "NAME")]
    target: Option<String>,
    /// Print each message as the JSON payload DingTalk would receive, one a line
    #[arg(long)]
    json: bool,
}

/// Renders the notification on stdin for the chosen targets and prints the messages.
pub(crate) fn run(args: &Args) -> Result<(), Failure> {
    let config = Config::load(&args.config).map_err(|e| {
        Failure::bad_input(e.to_string()).hint("fix the config file (or the template it names)")
    })?;
    let mut input = String::new();
    std::io::stdin()
        .take(MAX_INPUT)
        .read_to_string(&mut input)
        .map_err(|e| Failure::bad_input(format!("cannot read the notification on stdin: {e}")))?;
    let notification: Notification = serde_json::from_str(&input).map_err(|e| {
        Failure::bad_input(format!("stdin is not Alertmanager's webhook JSON: {e}"))
            .hint("pipe in what Alertmanager posts: dingbot alertmanager render --config config.yml < notification.json")
    })?;
    let targets: Vec<_> = match &args.target {
        Some(name) => vec![config.targets.get(name).ok_or_else(|| {
            let names: Vec<&str> = config.targets.keys().map(String::as_str).collect();
            Failure::bad_input(format!("no target {name:?} in the config"))
                .hint(format!("the config has: {}", names.join(", ")))
        })?],
        None => config.targets.values().collect(),
    };
    let style = Style::new(&config);
    let mut out = String::new();
    for target in targets {
        let messages: Vec<_> = render_checked(&notification, &style, &Mentions::of_target(target))
            .map_err(|e| Failure::bad_input(format!("target {}: {e}", target.name)))?
            .into_iter()
            .map(|rendered| rendered.message)
            .collect();
        let count = messages.len();
        for (i, message) in messages.iter().enumerate() {
            if args.json {
                let payload = Payload::new(message).map_err(|e| {
                    Failure::bad_input(format!(
                        "target {}: DingTalk would refuse message {}: {e}",
                        target.name,
                        i + 1
                    ))
                })?;
                out.push_str(&String::from_utf8_lossy(payload.body()));
                out.push('\n');
            } else {
                out.push_str(&format!(
                    "==> target {} message {}/{count}\ntitle: {}\n\n{}\n\n",
                    target.name,
                    i + 1,
                    message.title().unwrap_or_default(),
                    message.body().unwrap_or_default(),
                ));
            }
        }
    }
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| Failure::internal(format!("cannot write to stdout: {e}")))
}
