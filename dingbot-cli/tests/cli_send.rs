//! `dingbot send` run as a user runs it: the built binary, arguments and environment,
//! stdin, exit codes and output, against the emulator.

mod cli_util;

use cli_util::{Run, dingbot, dingbot_run, run};
use dingbot::mock::{Fault, MockServer};
use dingbot::{ActionCard, FeedCard, Link, Markdown, Message, Orientation, Payload, Text};

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

#[test]
fn dry_run_prints_the_exact_payload() {
    // Byte for byte, for one message written out in full.
    let out = dingbot_run(&[
        "send",
        "text",
        "disk full",
        "--at",
        "13800000000",
        "--msg-uuid",
        "run-17",
        "--dry-run",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "{\"msgtype\":\"text\",\"text\":{\"content\":\"disk full @13800000000\"},\
         \"at\":{\"atMobiles\":[\"13800000000\"],\"isAtAll\":false},\"msgUuid\":\"run-17\"}\n"
    );
    assert_eq!(out.stderr, "");

    // And for every msgtype, exactly what the library would post for the same message.
    for (args, message) in cases() {
        let mut all = vec!["send"];
        all.extend(&args);
        all.extend(["--dry-run", "--msg-uuid", "same-id"]);
        let out = dingbot_run(&all);
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        let expected = Payload::with_msg_uuid(&message, "same-id").unwrap();
        assert_eq!(
            out.stdout,
            format!("{}\n", String::from_utf8_lossy(expected.body())),
            "{args:?}"
        );
    }

    // --json wraps it; without --msg-uuid each run gets a fresh one.
    let out = dingbot_run(&["send", "--json", "text", "hi", "--dry-run"]);
    let json = out.json();
    assert_eq!(json["ok"], true);
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["payload"]["text"]["content"], "hi");
    assert_eq!(json["payload"]["msgUuid"].as_str().unwrap().len(), 32);
}

#[test]
fn the_body_comes_from_an_argument_a_file_or_stdin() {
    let from_stdin = {
        let mut command = dingbot();
        command.args(["send", "markdown", "--title", "T", "-", "--dry-run"]);
        run(
            command,
            Some("# from stdin\n\nsecond paragraph\n\n".as_bytes()),
        )
    };
    assert_eq!(from_stdin.code, 0, "{from_stdin:?}");
    let json: serde_json::Value = serde_json::from_str(&from_stdin.stdout).unwrap();
    assert_eq!(json["markdown"]["text"], "# from stdin\n\nsecond paragraph");

    let file = std::env::temp_dir().join(format!("dingbot-cli-body-{}.md", std::process::id()));
    std::fs::write(&file, "from a **file**\n").unwrap();
    let from_file = dingbot_run(&[
        "send",
        "text",
        "--file",
        file.to_str().unwrap(),
        "--dry-run",
    ]);
    let _ = std::fs::remove_file(&file);
    assert_eq!(from_file.code, 0, "{from_file:?}");
    let json: serde_json::Value = serde_json::from_str(&from_file.stdout).unwrap();
    assert_eq!(json["text"]["content"], "from a **file**");

    // No body, or two: the command line is wrong (exit 2), and says so.
    let none = dingbot_run(&["send", "text", "--dry-run"]);
    assert_eq!(none.code, 2, "{none:?}");
    assert!(
        none.stderr.contains("<BODY|--file <PATH>>"),
        "{}",
        none.stderr
    );
    let missing = dingbot_run(&[
        "send",
        "text",
        "--file",
        "/nonexistent/body.md",
        "--dry-run",
    ]);
    assert_eq!(missing.code, 2, "{missing:?}");
    assert!(
        missing
            .stderr
            .contains("cannot read the body from /nonexistent/body.md")
    );

    let not_utf8 = {
        let mut command = dingbot();
        command.args(["send", "text", "-", "--dry-run"]);
        run(command, Some(&[0xff, 0xfe, b'a']))
    };
    assert_eq!(not_utf8.code, 2, "{not_utf8:?}");
    assert!(not_utf8.stderr.contains("not UTF-8"), "{}", not_utf8.stderr);
}

#[test]
fn every_msgtype_is_sent_signed_from_the_environment() {
    let server = signed_server();
    let mut expected = Vec::new();
    for (args, message) in cases() {
        let mut all = args.clone();
        all.push("--json");
        let out = send_to(&server, &all, None);
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        let json = out.json();
        assert_eq!(json["ok"], true, "{json}");
        assert_eq!(json["attempts"], 1);
        let requests = server.requests();
        let last = requests.last().unwrap();
        assert_eq!(json["msgUuid"].as_str(), last.msg_uuid.as_deref());
        assert!(
            last.query_param("sign").is_some(),
            "signed with DINGTALK_SECRET"
        );
        let mut sent = message;
        sent.notify_mentions();
        expected.push(sent);
    }
    assert_eq!(server.received(), expected);

    // Flags win over the environment.
    let other = MockServer::start_blocking().unwrap();
    let mut command = dingbot();
    command
        .args(["send", "text", "to the other robot", "--webhook"])
        .arg(other.webhook_url())
        .args(["--secret", ""])
        .env("DINGTALK_WEBHOOK", server.webhook_url())
        .env("DINGTALK_SECRET", SECRET);
    let out = run(command, None);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(other.received().len(), 1);
    assert!(
        out.stderr.contains("dingbot: sent (msgUuid "),
        "{}",
        out.stderr
    );
}

#[test]
fn a_real_secret_flag_beats_the_environment_and_empty_means_none_for_both() {
    // Two signed robots: the flag's secret is the one used, not the variable's.
    let env_robot = signed_server();
    let flag_secret = "SECflag0123456789abcdefOther";
    let flag_robot = MockServer::builder()
        .secret(flag_secret)
        .start_blocking()
        .unwrap();
    let mut command = dingbot();
    command
        .args(["send", "text", "signed by the flag", "--webhook"])
        .arg(flag_robot.webhook_url())
        .args(["--secret", flag_secret])
        .env("DINGTALK_WEBHOOK", env_robot.webhook_url())
        .env("DINGTALK_SECRET", SECRET);
    let out = run(command, None);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(flag_robot.received().len(), 1);
    assert!(env_robot.requests().is_empty());

    // An empty variable is as good as unset, for the webhook and the secret alike.
    let mut command = dingbot();
    command
        .args(["send", "text", "hello"])
        .env("DINGTALK_WEBHOOK", "")
        .env("DINGTALK_SECRET", "");
    let empty = run(command, None);
    assert_eq!(empty.code, 2, "{empty:?}");
    assert!(empty.stderr.contains("no webhook to send to"), "{empty:?}");
    let unset = dingbot_run(&["send", "text", "hello"]);
    assert_eq!(unset.code, 2, "{unset:?}");
    assert_eq!(unset.stderr, empty.stderr);

    // An empty DINGTALK_SECRET sends unsigned; a signing robot rejects that, and the
    // hint names the missing secret rather than the clock.
    let mut command = dingbot();
    command
        .args(["send", "--attempts", "1", "text", "hello"])
        .env("DINGTALK_WEBHOOK", env_robot.webhook_url())
        .env("DINGTALK_SECRET", "");
    let unsigned = run(command, None);
    assert_eq!(unsigned.code, 3, "{unsigned:?}");
    assert!(
        unsigned
            .stderr
            .contains("this robot signs its requests: set DINGTALK_SECRET (or --secret)"),
        "{}",
        unsigned.stderr
    );
    let hint = unsigned.stderr.split("hint:").nth(1).unwrap_or_default();
    assert!(!hint.contains("clock"), "{}", unsigned.stderr);
    assert_eq!(env_robot.requests()[0].query_param("sign"), None);
}

#[test]
fn a_closed_stdout_never_turns_a_send_or_a_dry_run_into_a_failure() {
    use std::io::Write;
    use std::process::Stdio;

    // The reader of stdout goes away before dingbot writes: it waits for its body on
    // stdin, which is sent only once the read end of its stdout is closed.
    let closed_stdout = |mut command: std::process::Command| {
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start dingbot");
        drop(child.stdout.take());
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin.write_all(b"from stdin").expect("write the body");
        drop(stdin);
        let out = child.wait_with_output().expect("wait for dingbot");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let server = signed_server();
    let mut sent = dingbot();
    sent.args(["send", "--json", "text", "-"])
        .env("DINGTALK_WEBHOOK", server.webhook_url())
        .env("DINGTALK_SECRET", SECRET);
    let (code, stderr) = closed_stdout(sent);
    assert_eq!(code, Some(0), "a posted message is a success: {stderr}");
    assert_eq!(
        server.received(),
        vec![Message::from(Text::new("from stdin"))]
    );

    let mut dry = dingbot();
    dry.args(["send", "--dry-run", "text", "-"]);
    let (code, stderr) = closed_stdout(dry);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn each_class_of_failure_has_its_exit_code_and_says_what_to_do() {
    // 2: bad input, found before anything is sent.
    let no_webhook = dingbot_run(&["send", "text", "hello"]);
    assert_eq!(no_webhook.code, 2, "{no_webhook:?}");
    assert!(
        no_webhook.stderr.contains("set DINGTALK_WEBHOOK"),
        "{}",
        no_webhook.stderr
    );
    let bad_button = dingbot_run(&[
        "send",
        "action-card",
        "--title",
        "T",
        "--button",
        "Approve",
        "x",
    ]);
    assert_eq!(bad_button.code, 2, "{bad_button:?}");
    assert!(
        bad_button.stderr.contains("write TITLE=URL"),
        "{}",
        bad_button.stderr
    );
    let no_button = dingbot_run(&["send", "action-card", "--title", "T", "x", "--dry-run"]);
    assert_eq!(no_button.code, 2, "{no_button:?}");
    let too_big = {
        let mut command = dingbot();
        command.args(["send", "text", "-", "--dry-run"]);
        run(command, Some("x".repeat(30_000).as_bytes()))
    };
    assert_eq!(too_big.code, 2, "{too_big:?}");
    assert!(
        too_big.stderr.contains("shorten the message"),
        "{}",
        too_big.stderr
    );
    let bad_webhook = dingbot_run(&["send", "text", "x", "--webhook", "ftp://example.com/x"]);
    assert_eq!(bad_webhook.code, 2, "{bad_webhook:?}");
    let unknown_flag = dingbot_run(&["send", "text", "x", "--orientation", "diagonal"]);
    assert_eq!(unknown_flag.code, 2, "{unknown_flag:?}");
    let no_attempts = dingbot_run(&["send", "text", "x", "--attempts", "0", "--dry-run"]);
    assert_eq!(no_attempts.code, 2, "{no_attempts:?}");

    // 3: rejected by DingTalk.
    let keyworded = MockServer::builder()
        .keyword("告警")
        .start_blocking()
        .unwrap();
    let out = send_to(&keyworded, &["text", "disk full", "--json"], None);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stderr
            .contains("the message must contain one of the robot's keywords"),
        "{}",
        out.stderr
    );
    let json = out.json();
    assert_eq!(json["ok"], false);
    assert_eq!(json["class"], "rejected");
    assert_eq!(json["exit_code"], 3);
    assert_eq!(json["errcode"], 310000);
    assert_eq!(
        send_to(&keyworded, &["text", "告警: disk full"], None).code,
        0
    );

    let server = signed_server();
    let mut command = dingbot();
    command
        .args(["send", "text", "hello"])
        .env("DINGTALK_WEBHOOK", server.webhook_url())
        .env("DINGTALK_SECRET", "SECnotTheRobotsSecret");
    let wrong_secret = run(command, None);
    assert_eq!(wrong_secret.code, 3, "{wrong_secret:?}");
    assert!(
        wrong_secret.stderr.contains("check DINGTALK_SECRET"),
        "{}",
        wrong_secret.stderr
    );

    // 4: transient — DingTalk failing, or nobody listening.
    let busy = MockServer::start_blocking().unwrap();
    busy.inject(Fault::Status(503), 100);
    let out = send_to(&busy, &["text", "hello", "--json"], None);
    assert_eq!(out.code, 4, "{out:?}");
    assert_eq!(out.json()["class"], "transient");
    assert!(
        out.stderr.contains("run the same command again later")
            && out.stderr.contains("the same --msg-uuid"),
        "{}",
        out.stderr
    );
    assert_eq!(busy.requests().len(), 4, "tried 4 times by default");
    busy.reset();
    busy.inject(Fault::Status(503), 100);
    let once = send_to(&busy, &["text", "hello", "--attempts", "1"], None);
    assert_eq!(once.code, 4, "{once:?}");
    assert_eq!(busy.requests().len(), 1, "--attempts 1 never retries");
    let port = cli_util::programs::free_port();
    let refused = dingbot_run(&[
        "send",
        "--attempts",
        "1",
        "text",
        "hello",
        "--timeout",
        "2s",
        "--webhook",
        &format!("http://127.0.0.1:{port}/robot/send?access_token=abc"),
    ]);
    assert_eq!(refused.code, 4, "{refused:?}");

    // 5: throttled.
    let throttled = MockServer::start_blocking().unwrap();
    throttled.throttle_now();
    let out = send_to(&throttled, &["text", "hello", "--json"], None);
    assert_eq!(out.code, 5, "{out:?}");
    assert_eq!(out.json()["errcode"], 130101);
    assert!(
        out.stderr.contains("wait, then send again"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_secret_and_the_token_are_never_echoed() {
    let server = signed_server();
    let runs = vec![
        // Rejected: the right token, the wrong secret.
        {
            let mut command = dingbot();
            command
                .args(["send", "--json", "text", "hello"])
                .env("DINGTALK_WEBHOOK", server.webhook_url())
                .env("DINGTALK_SECRET", "SECwrongButAlsoSecret77");
            run(command, None)
        },
        // A secret that is not one.
        {
            let mut command = dingbot();
            command
                .args([
                    "send",
                    "text",
                    "hello",
                    "--secret",
                    "notsecret-but-private-99",
                ])
                .env("DINGTALK_WEBHOOK", server.webhook_url());
            run(command, None)
        },
        // A token the robot does not know (the server's token, one character off).
        dingbot_run(&[
            "send",
            "--json",
            "text",
            "hello",
            "--webhook",
            &server
                .webhook_url()
                .replace(TOKEN, "tok-cli-never-shown-4243"),
        ]),
        // A dry run and the help, with both in the environment.
        send_to(&server, &["text", "hello", "--dry-run"], None),
        send_to(&server, &["--help"], None),
        send_to(&server, &["text", "--help"], None),
        // Transient failure after retries.
        {
            server.inject(Fault::Html, 100);
            send_to(
                &server,
                &["--json", "--attempts", "2", "text", "hello"],
                None,
            )
        },
    ];
    for out in &runs {
        let all = out.all_output();
        for secret in [
            SECRET,
            TOKEN,
            "SECwrongButAlsoSecret77",
            "notsecret-but-private-99",
            "tok-cli-never-shown-4243",
        ] {
            assert!(!all.contains(secret), "`{secret}` echoed: {out:?}");
        }
    }
    assert_eq!(
        runs.iter().map(|r| r.code).collect::<Vec<_>>(),
        [3, 2, 3, 0, 0, 0, 4]
    );
}

#[test]
fn help_documents_the_exit_codes() {
    for args in [&["--help"][..], &["send", "--help"], &["mock", "--help"]] {
        let out = dingbot_run(args);
        assert_eq!(out.code, 0, "{out:?}");
        for line in [
            "Exit codes:",
            "2  bad input",
            "3  rejected by DingTalk",
            "4  transient",
            "5  throttled",
        ] {
            assert!(
                out.stdout.contains(line),
                "{args:?} lacks {line:?}:\n{}",
                out.stdout
            );
        }
    }
    // Both flags that carry a secret warn that a flag shows in the process list.
    let send_help = dingbot_run(&["send", "--help"]).stdout;
    for flag in ["--webhook <URL>", "--secret <SECRET>"] {
        let help = send_help
            .split(flag)
            .nth(1)
            .expect("the flag is documented");
        let help = help.split("\n      --").next().unwrap_or(help);
        assert!(help.contains("process list"), "{flag}:{help}");
    }
}
