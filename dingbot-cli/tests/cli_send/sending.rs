//! Sending for real: every msgtype signed from the environment, flags over variables,
//! empty variables as unset, and a closed stdout that is no failure.

use dingbot::mock::MockServer;
use dingbot::{Message, Text};

use crate::cli_util::{dingbot, dingbot_run, run};
use crate::{SECRET, cases, send_to, signed_server};

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
