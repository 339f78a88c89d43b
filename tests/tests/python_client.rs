//! A real DingTalk client — Python's `DingtalkChatbot` — talks to the emulator: signed
//! text, markdown, link, actionCard and feedCard are all accepted and recorded.
//!
//! Skips (saying so) when Python or the package is missing, unless
//! `DINGBOT_REQUIRE_PYTHON=1` (set by CI), where that is a failure.

use std::process::Command;

use dingbot::Message;
use dingbot::mock::MockServer;

fn python_ready() -> Result<(), String> {
    let out = Command::new("python3")
        .args(["-c", "import dingtalkchatbot.chatbot"])
        .output()
        .map_err(|e| format!("python3 is not available ({e})"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "the Python package is missing (pip install dingtalkchatbot): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dingtalkchatbot_messages_are_accepted() {
    if let Err(why) = python_ready() {
        if std::env::var("DINGBOT_REQUIRE_PYTHON").is_ok_and(|v| v == "1") {
            panic!("{why}");
        }
        eprintln!("SKIPPED dingtalkchatbot_messages_are_accepted: {why}");
        return;
    }
    let secret = "SECpython0123456789abcdef";
    let server = MockServer::builder().secret(secret).start().await.unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/send_all.py");
    let url = server.webhook_url();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .args([script, &url, secret])
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "python failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );

    let answers: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 5, "{stdout}");
    for answer in &answers {
        assert_eq!(answer["errcode"], 0, "{answer}");
    }

    let received = server.received();
    let types: Vec<&str> = received.iter().map(Message::msgtype).collect();
    assert_eq!(
        types,
        ["text", "markdown", "link", "actionCard", "feedCard"]
    );
    match &received[0] {
        Message::Text(t) => {
            assert_eq!(t.content(), "py text\n@13800000000");
            assert_eq!(t.at().get_mobiles(), ["13800000000"]);
        }
        other => panic!("{other:?}"),
    }
    match &received[3] {
        Message::ActionCard(card) => {
            assert_eq!(card.buttons().len(), 2);
            assert_eq!(
                card.get_orientation(),
                Some(dingbot::Orientation::Horizontal)
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(received[4].title(), Some("py feed"));
}
