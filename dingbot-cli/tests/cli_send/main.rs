//! `dingbot send` run as a user runs it: the built binary, arguments and environment,
//! stdin, exit codes and output, against the emulator.

#[path = "../cli_util/mod.rs"]
mod cli_util;

mod app;
mod bounds;
mod dry_run;
mod exit_codes;
mod secrets;
mod sending;

use cli_util::{Run, dingbot, run};
use dingbot::mock::MockServer;
use dingbot::{ActionCard, FeedCard, Link, Markdown, Message, Orientation, Text};

const SECRET: &str = "SECcli0123456789abcdefSecretValue";
const TOKEN: &str = "tok-cli-never-shown-4242";

/// `dingbot send ARGS...` with the emulator's webhook and secret in the environment.
fn send_to(server: &MockServer, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut command = dingbot();
    command
        .arg("send")
        .args(args)
        .env("DINGTALK_WEBHOOK", server.webhook_url());
    if let Some(secret) = server.secret() {
        command.env("DINGTALK_SECRET", secret);
    }
    run(command, stdin)
}

fn signed_server() -> MockServer {
    MockServer::builder()
        .token(TOKEN)
        .secret(SECRET)
        .start_blocking()
        .unwrap()
}

/// The CLI's arguments for each message type, and the message the library builds for the
/// same intent.
fn cases() -> Vec<(Vec<&'static str>, Message)> {
    vec![
        (
            vec![
                "text",
                "disk full on db-1",
                "--at",
                "13800000000",
                "--at-user",
                "u42",
            ],
            Text::new("disk full on db-1")
                .at_mobiles(["13800000000"])
                .at_user_ids(["u42"])
                .into(),
        ),
        (
            vec![
                "markdown",
                "--title",
                "Deploy done",
                "#### Deploy done\n\n**api** v2.4",
                "--at-all",
            ],
            Markdown::new("Deploy done", "#### Deploy done\n\n**api** v2.4")
                .at_all()
                .into(),
        ),
        (
            vec![
                "link",
                "--title",
                "dingbot",
                "--url",
                "https://docs.rs/dingbot",
                "--pic",
                "https://example.com/p.png",
                "A DingTalk robot toolkit",
            ],
            Link::new(
                "dingbot",
                "A DingTalk robot toolkit",
                "https://docs.rs/dingbot",
            )
            .pic_url("https://example.com/p.png")
            .into(),
        ),
        (
            vec![
                "action-card",
                "--title",
                "Deploy api?",
                "--button",
                "Approve=https://ci.example.com/ok?x=1",
                "--button",
                "Reject=https://ci.example.com/no",
                "--orientation",
                "horizontal",
                "--hide-avatar",
                "Deploy **api** v2.4?",
            ],
            ActionCard::new("Deploy api?", "Deploy **api** v2.4?")
                .button("Approve", "https://ci.example.com/ok?x=1")
                .button("Reject", "https://ci.example.com/no")
                .orientation(Orientation::Horizontal)
                .hide_avatar(true)
                .into(),
        ),
        (
            vec![
                "action-card",
                "--title",
                "Report",
                "--single",
                "Read it=https://example.com/r",
                "The weekly report",
            ],
            ActionCard::new("Report", "The weekly report")
                .single_button("Read it", "https://example.com/r")
                .into(),
        ),
        (
            vec![
                "feed-card",
                "--link",
                "Release notes",
                "https://example.com/notes",
                "https://example.com/notes.png",
                "--link",
                "Roadmap",
                "https://example.com/roadmap",
                "https://example.com/roadmap.png",
            ],
            FeedCard::new()
                .link(
                    "Release notes",
                    "https://example.com/notes",
                    "https://example.com/notes.png",
                )
                .link(
                    "Roadmap",
                    "https://example.com/roadmap",
                    "https://example.com/roadmap.png",
                )
                .into(),
        ),
    ]
}
