//! The message a command line builds, seen through `--dry-run`: the exact payload, and
//! the body from an argument, a file or stdin.

use dingbot::Payload;

use crate::cases;
use crate::cli_util::{dingbot, dingbot_run, run};

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
