//! `dingbot send`: one message to a robot's webhook.
//!
//! The message is built with the library's own types and encoded as a [`Payload`], so
//! the command checks exactly what `Robot::send` checks (required fields, size, mentions
//! written into the body) and `--dry-run` prints exactly what would be posted.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Subcommand, ValueEnum};
use dingbot::{
    ActionCard, FeedCard, Link, Markdown, Message, Orientation, Payload, RetryPolicy, Robot, Text,
};
use serde_json::json;

use crate::exit::{self, Failure};
use crate::output::{print_line, reader_gone};
use crate::redacted::Redacted;
use crate::units::parse_duration;

/// Flags of `dingbot send`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = crate::exit::with_exit_codes(SEND_EXAMPLES))]
pub struct Args {
    #[command(subcommand)]
    kind: Kind,
    #[command(flatten)]
    target: Target,
}

const SEND_EXAMPLES: &str = "\
Examples:
  export DINGTALK_WEBHOOK='https://oapi.dingtalk.com/robot/send?access_token=...'
  export DINGTALK_SECRET='SEC...'
  dingbot send text 'disk full on db-1' --at 13800000000
  dingbot send markdown --title 'Deploy done' - < notes.md
  dingbot send action-card --title 'Deploy api?' --button 'Approve=https://ci/ok' \\
      --button 'Reject=https://ci/no' --orientation horizontal 'Deploy **api** v2.4?'
  dingbot send feed-card --link 'Release notes' https://example.com/notes https://example.com/n.png
  dingbot send text 'hello' --dry-run      # print the JSON payload, send nothing";

/// Where to send, and how.
#[derive(Debug, clap::Args)]
struct Target {
    /// The robot's webhook URL, or its bare access token [env: DINGTALK_WEBHOOK].
    /// Prefer the variable: a flag is visible to other users in the process list, and
    /// the access token is all it takes to post to the group. Empty means none
    #[arg(long, global = true, value_name = "URL")]
    webhook: Option<Redacted>,
    /// The robot's signing secret (SEC...), when it signs requests [env: DINGTALK_SECRET].
    /// Prefer the variable: a flag is visible to other users in the process list.
    /// Empty means none: `--secret ''` sends unsigned whatever the variable says
    #[arg(long, global = true, value_name = "SECRET")]
    secret: Option<Redacted>,
    /// Print the exact JSON payload on stdout instead of sending it
    #[arg(long, global = true)]
    dry_run: bool,
    /// Print the outcome as one JSON object on stdout
    #[arg(long, global = true)]
    json: bool,
    /// Give up on one request after this long (e.g. 10s, 500ms)
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    timeout: Option<Duration>,
    /// How many times to try when a send fails in a way that may pass (network,
    /// timeout, DingTalk busy), backing off in between; 1 never retries [default: 4]
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10))]
    attempts: Option<u32>,
    /// The idempotency key to send; random when not given. DingTalk is reported to post
    /// a msgUuid once, so re-running with the same one after a timeout should not post
    /// twice, but that is not guaranteed
    #[arg(long, global = true, value_name = "ID")]
    msg_uuid: Option<String>,
}

/// The message to send, one subcommand per DingTalk msgtype.
#[derive(Debug, Subcommand)]
enum Kind {
    /// Plain text (msgtype text); `@` mentions notify
    Text {
        #[command(flatten)]
        body: Body,
        #[command(flatten)]
        at: Mentions,
    },
    /// A markdown message (DingTalk's subset); the title shows in the chat list
    Markdown {
        /// What the chat list and the notification show
        #[arg(long)]
        title: String,
        #[command(flatten)]
        body: Body,
        #[command(flatten)]
        at: Mentions,
    },
    /// A link card: title, text, a picture, and the page it opens
    Link {
        /// The card's title
        #[arg(long)]
        title: String,
        /// The page the card opens
        #[arg(long, value_name = "URL")]
        url: String,
        /// The card's picture
        #[arg(long, value_name = "URL")]
        pic: Option<String>,
        #[command(flatten)]
        body: Body,
    },
    /// An action card: a markdown body with buttons
    ActionCard {
        /// What the chat list and the notification show
        #[arg(long)]
        title: String,
        #[command(flatten)]
        body: Body,
        /// A button, as TITLE=URL (repeat for several)
        #[arg(long = "button", value_name = "TITLE=URL", value_parser = parse_button)]
        buttons: Vec<(String, String)>,
        /// One button that makes the whole card a link, as TITLE=URL
        #[arg(long, value_name = "TITLE=URL", value_parser = parse_button, conflicts_with = "buttons")]
        single: Option<(String, String)>,
        /// How the buttons are laid out
        #[arg(long, value_enum)]
        orientation: Option<Layout>,
        /// Hide the robot's avatar
        #[arg(long)]
        hide_avatar: bool,
    },
    /// A feed card: a list of links with pictures
    FeedCard {
        /// One entry: its title, the page it opens, its picture (repeat for several)
        #[arg(
            long = "link",
            num_args = 3,
            value_names = ["TITLE", "URL", "PIC"],
            action = clap::ArgAction::Append,
            required = true
        )]
        links: Vec<String>,
    },
}

/// The body: from the argument, from a file, or (`-`) from stdin.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
struct Body {
    /// The message body; `-` reads it from stdin
    #[arg(value_name = "BODY")]
    text: Option<String>,
    /// Read the body from this file
    #[arg(long, short = 'f', value_name = "PATH")]
    file: Option<PathBuf>,
}

/// Who is mentioned (text and markdown). Each mention is also written into the body as
/// `@id` when missing, which DingTalk needs to notify.
#[derive(Debug, clap::Args)]
struct Mentions {
    /// Mention by mobile number (repeat for several)
    #[arg(long = "at", value_name = "MOBILE")]
    mobiles: Vec<String>,
    /// Mention by DingTalk user id (repeat for several)
    #[arg(long = "at-user", value_name = "ID")]
    user_ids: Vec<String>,
    /// Mention everyone in the group
    #[arg(long)]
    at_all: bool,
}

/// `--orientation`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Layout {
    /// Buttons side by side
    Horizontal,
    /// Buttons one above the other (DingTalk's default)
    Vertical,
}

fn parse_button(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((title, url)) if !title.trim().is_empty() && !url.trim().is_empty() => {
            Ok((title.to_owned(), url.trim().to_owned()))
        }
        _ => Err(format!(
            "`{text}` is not a button: write TITLE=URL, e.g. \"Approve=https://ci.example.com/ok\""
        )),
    }
}

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
    } else {
        None
    };
    if let Ok(Outcome::Sent { msg_uuid, .. }) = &result {
        if !json {
            let _ = writeln!(std::io::stderr(), "dingbot: sent (msgUuid {msg_uuid})");
        }
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
        (Ok(Outcome::Printed(_)), Err(e)) => Err(Failure::internal(format!(
            "cannot write the payload to stdout: {e}"
        ))),
    }
}

enum Outcome {
    Sent { msg_uuid: String, attempts: u32 },
    Printed(Payload),
}

async fn send(args: Args) -> Result<Outcome, Failure> {
    let message = build(args.kind)?;
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

fn build(kind: Kind) -> Result<Message, Failure> {
    Ok(match kind {
        Kind::Text { body, at } => at.apply_text(Text::new(body.read()?)).into(),
        Kind::Markdown { title, body, at } => {
            at.apply_markdown(Markdown::new(title, body.read()?)).into()
        }
        Kind::Link {
            title,
            url,
            pic,
            body,
        } => {
            let link = Link::new(title, body.read()?, url);
            match pic {
                Some(pic) => link.pic_url(pic),
                None => link,
            }
            .into()
        }
        Kind::ActionCard {
            title,
            body,
            buttons,
            single,
            orientation,
            hide_avatar,
        } => {
            let mut card = ActionCard::new(title, body.read()?);
            if let Some((title, url)) = single {
                card = card.single_button(title, url);
            } else if buttons.is_empty() {
                return Err(
                    Failure::bad_input("an action card needs at least one button")
                        .hint("add --button TITLE=URL (repeat for several), or --single TITLE=URL"),
                );
            }
            for (title, url) in buttons {
                card = card.button(title, url);
            }
            if let Some(layout) = orientation {
                card = card.orientation(match layout {
                    Layout::Horizontal => Orientation::Horizontal,
                    Layout::Vertical => Orientation::Vertical,
                });
            }
            if hide_avatar {
                card = card.hide_avatar(true);
            }
            card.into()
        }
        Kind::FeedCard { links } => {
            let mut card = FeedCard::new();
            for entry in links.chunks(3) {
                if let [title, url, pic] = entry {
                    card = card.link(title.clone(), url.clone(), pic.clone());
                }
            }
            card.into()
        }
    })
}

impl Body {
    /// The body's text. From stdin or a file, trailing newlines are dropped (as `$(...)`
    /// does in a shell), so that `echo text |` sends `text`.
    fn read(self) -> Result<String, Failure> {
        let text = match (self.text, self.file) {
            (_, Some(path)) => std::fs::read(&path)
                .map_err(|e| {
                    Failure::bad_input(format!("cannot read the body from {}: {e}", path.display()))
                })
                .and_then(|bytes| utf8(bytes, &path.display().to_string()))?,
            (Some(text), None) if text == "-" => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .lock()
                    .read_to_end(&mut bytes)
                    .map_err(|e| {
                        Failure::bad_input(format!("cannot read the body from stdin: {e}"))
                    })?;
                utf8(bytes, "stdin")?
            }
            (Some(text), None) => return Ok(text),
            (None, None) => {
                return Err(Failure::bad_input("no body given")
                    .hint("give it as an argument, `-` for stdin, or --file PATH"));
            }
        };
        Ok(text.trim_end_matches(['\n', '\r']).to_owned())
    }
}

fn utf8(bytes: Vec<u8>, from: &str) -> Result<String, Failure> {
    String::from_utf8(bytes).map_err(|_| {
        Failure::bad_input(format!("the body from {from} is not UTF-8 text"))
            .hint("DingTalk messages are UTF-8: convert it first, e.g. with iconv")
    })
}

impl Mentions {
    fn apply_text(self, text: Text) -> Text {
        let text = text.at_mobiles(self.mobiles).at_user_ids(self.user_ids);
        if self.at_all { text.at_all() } else { text }
    }

    fn apply_markdown(self, markdown: Markdown) -> Markdown {
        let markdown = markdown.at_mobiles(self.mobiles).at_user_ids(self.user_ids);
        if self.at_all {
            markdown.at_all()
        } else {
            markdown
        }
    }
}
