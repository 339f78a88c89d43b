//! The flags of `dingbot send`: where to send, how, and the message, one subcommand
//! per DingTalk msgtype.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Subcommand, ValueEnum};

use crate::units::parse_duration;
use dingbot::Redacted;

/// Flags of `dingbot send`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = crate::exit::with_exit_codes(SEND_EXAMPLES))]
pub struct Args {
    #[command(subcommand)]
    pub(super) kind: Kind,
    #[command(flatten)]
    pub(super) target: Target,
    #[command(flatten)]
    pub(super) app: App,
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
  dingbot send text 'hello' --dry-run      # print the JSON payload, send nothing
  # as an enterprise app's robot (DINGTALK_APP_KEY, DINGTALK_APP_SECRET, DINGTALK_ROBOT_CODE):
  dingbot send --app --group cidXXXX markdown --title 'Deploy done' - < notes.md
  dingbot send --app --user manager4220 --user staff1337 text 'your deploy is live'";

/// Where to send, and how.
#[derive(Debug, clap::Args)]
pub(super) struct Target {
    /// The robot's webhook URL, or its bare access token [env: DINGTALK_WEBHOOK].
    /// Prefer the variable: a flag is visible to other users in the process list, and
    /// the access token is all it takes to post to the group. Empty means none
    #[arg(long, global = true, value_name = "URL")]
    pub(super) webhook: Option<Redacted>,
    /// The robot's signing secret (SEC...), when it signs requests [env: DINGTALK_SECRET].
    /// Prefer the variable: a flag is visible to other users in the process list.
    /// Empty means none: `--secret ''` sends unsigned whatever the variable says
    #[arg(long, global = true, value_name = "SECRET")]
    pub(super) secret: Option<Redacted>,
    /// Print the exact JSON payload on stdout instead of sending it
    #[arg(long, global = true)]
    pub(super) dry_run: bool,
    /// Print the outcome as one JSON object on stdout
    #[arg(long, global = true)]
    pub(super) json: bool,
    /// Give up on one request after this long (e.g. 10s, 500ms)
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub(super) timeout: Option<Duration>,
    /// How many times to try when a send fails in a way that may pass (network,
    /// timeout, DingTalk busy), backing off in between; 1 never retries [default: 4]
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10))]
    pub(super) attempts: Option<u32>,
    /// The idempotency key to send; random when not given. DingTalk is reported to post
    /// a msgUuid once, so re-running with the same one after a timeout should not post
    /// twice, but that is not guaranteed
    #[arg(long, global = true, value_name = "ID")]
    pub(super) msg_uuid: Option<String>,
}

/// Sending as an enterprise app's robot, through DingTalk's OpenAPI.
#[derive(Debug, clap::Args)]
pub(super) struct App {
    /// Send as an enterprise app's robot through DingTalk's OpenAPI (to --group or
    /// --user) instead of a webhook
    #[arg(long, global = true)]
    pub(super) app: bool,
    /// The app's key (AppKey / Client ID) [env: DINGTALK_APP_KEY]
    #[arg(long, global = true, value_name = "KEY")]
    pub(super) app_key: Option<String>,
    /// The app's secret [env: DINGTALK_APP_SECRET]. Prefer the variable: a flag is
    /// visible to other users in the process list
    #[arg(long, global = true, value_name = "SECRET")]
    pub(super) app_secret: Option<Redacted>,
    /// The robot's code (robotCode) [env: DINGTALK_ROBOT_CODE]
    #[arg(long, global = true, value_name = "CODE")]
    pub(super) robot_code: Option<String>,
    /// With --app: the group to send to, by its openConversationId
    #[arg(long, global = true, value_name = "ID", conflicts_with = "users")]
    pub(super) group: Option<String>,
    /// With --app: a user to message one to one (repeat, at most 20)
    #[arg(long = "user", global = true, value_name = "ID")]
    pub(super) users: Vec<String>,
    /// With --app: the OpenAPI's base URL [env: DINGTALK_OPENAPI_ENDPOINT]
    /// [default: https://api.dingtalk.com]
    #[arg(long, global = true, value_name = "URL")]
    pub(super) openapi: Option<String>,
}

/// The message to send, one subcommand per DingTalk msgtype.
#[derive(Debug, Subcommand)]
pub(super) enum Kind {
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
pub(super) struct Body {
    /// The message body; `-` reads it from stdin
    #[arg(value_name = "BODY")]
    pub(super) text: Option<String>,
    /// Read the body from this file
    #[arg(long, short = 'f', value_name = "PATH")]
    pub(super) file: Option<PathBuf>,
}

/// Who is mentioned (text and markdown). Each mention is also written into the body as
/// `@id` when missing, which DingTalk needs to notify.
#[derive(Debug, clap::Args)]
pub(super) struct Mentions {
    /// Mention by mobile number (repeat for several)
    #[arg(long = "at", value_name = "MOBILE")]
    pub(super) mobiles: Vec<String>,
    /// Mention by DingTalk user id (repeat for several)
    #[arg(long = "at-user", value_name = "ID")]
    pub(super) user_ids: Vec<String>,
    /// Mention everyone in the group
    #[arg(long)]
    pub(super) at_all: bool,
}

/// `--orientation`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum Layout {
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
