//! Python's `dingtalkchatbot` as the client of `dingbot mock`.

use std::process::Command;

use crate::SECRET;
use crate::cli_util::Mock;

/// Python's `dingtalkchatbot` (the peer client the emulator is already checked against)
/// sends one message of each type to `dingbot mock`.
#[test]
fn python_dingtalkchatbot_sends_to_dingbot_mock() {
    let ready = Command::new("python3")
        .args(["-c", "import dingtalkchatbot.chatbot"])
        .output();
    if !ready.as_ref().is_ok_and(|out| out.status.success()) {
        let why = "python3 with dingtalkchatbot is not available (pip install dingtalkchatbot)";
        if std::env::var("DINGBOT_REQUIRE_PYTHON").is_ok_and(|v| v == "1") {
            panic!("{why}");
        }
        eprintln!("SKIPPED python_dingtalkchatbot_sends_to_dingbot_mock: {why}");
        return;
    }
    let mut mock = Mock::start(&["--secret", SECRET, "--log", "json"]);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/python/send_all.py");
    let out = Command::new("python3")
        .args([script, &mock.webhook, SECRET])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "python failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    for answer in stdout.lines() {
        let answer: serde_json::Value = serde_json::from_str(answer).unwrap();
        assert_eq!(answer["errcode"], 0, "{answer}");
    }
    let lines: Vec<serde_json::Value> = (0..5).map(|_| mock.json_line()).collect();
    let types: Vec<&str> = lines
        .iter()
        .map(|l| l["message"]["msgtype"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["text", "markdown", "link", "actionCard", "feedCard"]
    );
    assert!(
        lines
            .iter()
            .all(|l| l["errcode"] == 0 && l["accepted"] == true)
    );
    assert_eq!(
        lines[0]["message"]["text"]["content"],
        "py text\n@13800000000"
    );
    // The message exactly as the client sent it: this client writes the orientation as a
    // number.
    assert_eq!(lines[3]["message"]["actionCard"]["btnOrientation"], 1);
    assert_eq!(mock.stop_with("TERM").0, Some(0));
}
