//! Each class of failure with its exit code and what to do about it, and the help that
//! documents them.

use dingbot::mock::{Fault, MockServer};

use crate::cli_util::{self, dingbot, dingbot_run, run};
use crate::{send_to, signed_server};

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
