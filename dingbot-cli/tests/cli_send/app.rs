//! `dingbot send --app`: the message sent as an enterprise app's robot through the
//! emulator's OpenAPI, to a group or to users, credentials from flags or variables, and
//! the exit codes of a webhook send.

use std::time::Duration;

use dingbot::mock::MockServer;
use dingbot::{Markdown, Message, Rate, Text};

use crate::cli_util::{Run, dingbot, run};

const KEY: &str = "dingcli-app";
const APP_SECRET: &str = "cli-app-secret-never-shown";
const ROBOT: &str = "dingcli-robot";

fn app_server() -> MockServer {
    MockServer::builder()
        .app(KEY, APP_SECRET, ROBOT)
        .start_blocking()
        .unwrap()
}

/// `dingbot send --app ARGS...` with the app's settings in the environment.
fn send_app(server: &MockServer, args: &[&str]) -> Run {
    let mut command = dingbot();
    command
        .args(["send", "--app"])
        .args(args)
        .env("DINGTALK_APP_KEY", KEY)
        .env("DINGTALK_APP_SECRET", APP_SECRET)
        .env("DINGTALK_ROBOT_CODE", ROBOT)
        .env("DINGTALK_OPENAPI_ENDPOINT", server.base_url());
    run(command, None)
}

#[test]
fn sends_to_a_group_and_to_users() {
    let server = app_server();
    let out = send_app(
        &server,
        &[
            "--group",
            "cid-cli",
            "markdown",
            "--title",
            "Deploy",
            "**api** v42",
            "--json",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let json = out.json();
    assert_eq!(json["ok"], true);
    let key = json["processQueryKey"].as_str().unwrap();
    let out = send_app(
        &server,
        &[
            "--user",
            "u1",
            "--user",
            "u2",
            "text",
            "your deploy is live",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("processQueryKey"), "{out:?}");

    let delivered = server.app_messages();
    assert_eq!(delivered[0].process_query_key, key);
    assert_eq!(
        delivered[0].open_conversation_id.as_deref(),
        Some("cid-cli")
    );
    assert_eq!(
        delivered[0].message,
        Some(Message::from(Markdown::new("Deploy", "**api** v42")))
    );
    assert_eq!(delivered[1].user_ids, ["u1", "u2"]);
    assert_eq!(
        delivered[1].message,
        Some(Message::from(Text::new("your deploy is live")))
    );
    assert!(!out.all_output().contains(APP_SECRET));
}

#[test]
fn flags_work_without_the_variables() {
    let server = app_server();
    let mut command = dingbot();
    command
        .args([
            "send",
            "--app",
            "--group",
            "cid",
            "--app-key",
            KEY,
            "--app-secret",
        ])
        .args([APP_SECRET, "--robot-code", ROBOT, "--openapi"])
        .arg(server.base_url())
        .args(["text", "hello"]);
    let out = run(command, None);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(server.app_messages().len(), 1);
}

#[test]
fn each_failure_has_the_webhook_sends_exit_code() {
    let server = MockServer::builder()
        .app(KEY, APP_SECRET, ROBOT)
        .app_rate_limit(Some(Rate::new(1, Duration::from_secs(60))))
        .start_blocking()
        .unwrap();
    // Bad input (2): nowhere to send, a message without a template, --group without --app.
    let nowhere = send_app(&server, &["text", "hi"]);
    assert_eq!(nowhere.code, 2, "{nowhere:?}");
    let feed = send_app(
        &server,
        &[
            "--group",
            "c",
            "feed-card",
            "--link",
            "t",
            "https://a.example",
            "https://a.example/p.png",
        ],
    );
    assert_eq!(feed.code, 2, "{feed:?}");
    assert!(feed.stderr.contains("FeedCard"), "{feed:?}");
    let mut command = dingbot();
    command
        .args(["send", "--group", "c", "text", "hi"])
        .env("DINGTALK_WEBHOOK", "tok");
    assert_eq!(run(command, None).code, 2);

    // Rejected (3): a wrong secret, named without its value.
    let mut command = dingbot();
    command
        .args(["send", "--app", "--group", "c", "text", "hi", "--json"])
        .env("DINGTALK_APP_KEY", KEY)
        .env("DINGTALK_APP_SECRET", "wrong-secret-shh")
        .env("DINGTALK_ROBOT_CODE", ROBOT)
        .env("DINGTALK_OPENAPI_ENDPOINT", server.base_url());
    let wrong = run(command, None);
    assert_eq!(wrong.code, 3, "{wrong:?}");
    assert_eq!(wrong.json()["class"], "rejected");
    assert!(!wrong.all_output().contains("wrong-secret-shh"));

    // Throttled (5): the app's flow control, once retries are spent.
    assert_eq!(send_app(&server, &["--group", "c", "text", "one"]).code, 0);
    let throttled = send_app(&server, &["--group", "c", "--attempts", "1", "text", "two"]);
    assert_eq!(throttled.code, 5, "{throttled:?}");
    assert_eq!(server.app_messages().len(), 1);
}

#[test]
fn dry_run_prints_the_template() {
    let mut command = dingbot();
    command.args([
        "send",
        "--app",
        "--group",
        "c",
        "--dry-run",
        "text",
        "hello",
    ]);
    let out = run(command, None);
    assert_eq!(out.code, 0, "{out:?}");
    let json = out.json();
    assert_eq!(json["msgKey"], "sampleText");
    assert_eq!(json["msgParam"], r#"{"content":"hello"}"#);
}
