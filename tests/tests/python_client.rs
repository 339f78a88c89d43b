//! A real DingTalk client — Python's `DingtalkChatbot` — talks to the emulator: signed
//! text, markdown, link, actionCard and feedCard are all accepted and recorded.
//!
//! Skips (saying so) when Python or the package is missing, unless
//! `DINGBOT_REQUIRE_PYTHON=1` (set by CI), where that is a failure.

/// Finding Python packages (shared with the `dingbot` command's tests).
#[path = "../../dingbot-cli/tests/programs/mod.rs"]
mod programs;

use std::process::Command;

use dingbot::Message;
use dingbot::mock::MockServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dingtalkchatbot_messages_are_accepted() {
    if !programs::python_module(
        "dingtalkchatbot.chatbot",
        "dingtalkchatbot",
        "dingtalkchatbot_messages_are_accepted",
    ) {
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
