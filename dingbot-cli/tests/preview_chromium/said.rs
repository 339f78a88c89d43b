//! A robot that answers, on the preview page: what a group member said (from the page's
//! say box, through `#say=`), the Stream client's connection, and the robot's reply
//! under what was said.

use dingbot::Text;
use dingbot::mock::{MockServer, Say};
use dingbot::stream::StreamClient;
use dingbot_cli::preview::PreviewPage;

use crate::{articles, chromium, mock_util, programs};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_said_and_the_reply_show_in_the_group() {
    let test = "what_is_said_and_the_reply_show_in_the_group";
    let Some(browser) = programs::program("chromium", test) else {
        return;
    };
    let server = MockServer::builder()
        .preview(true)
        .app("dingpreview", "preview-secret", "dingpreview")
        .start()
        .await
        .unwrap();
    let client = StreamClient::builder("dingpreview", "preview-secret")
        .openapi(server.base_url())
        .build()
        .unwrap();
    let mut messages = client.messages();
    tokio::spawn(async move {
        while let Some(msg) = messages.next().await {
            let answer = Text::new(format!("pong to {}: {}", msg.sender_nick, msg.text()));
            let _ = msg.reply(&answer).await;
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while server.stream_stats().open == 0 {
        assert!(std::time::Instant::now() < deadline, "no Stream connection");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(server.say(Say::new("ping").by("Han Meimei", "0102")), 1);

    // The page's say box (through `#say=`) asks too; Chromium's virtual time lets the
    // reply arrive and the page poll it.
    let url = format!("{}#say={}", server.base_url(), mock_util::encode("alerts"));
    let dom =
        tokio::task::spawn_blocking(move || chromium(&browser, &url, &["--dump-dom".to_owned()]))
            .await
            .unwrap();
    let said_by_page = server
        .requests()
        .iter()
        .any(|r| r.path == "/mock/say" && r.body_text().contains("\"alerts\""));
    assert!(
        said_by_page,
        "the say box posted /mock/say: {:?}",
        server.requests()
    );
    let items = articles(&dom);
    let position = |needle: &str| items.iter().position(|a| a.contains(needle));
    let connected = position("a Stream client connected").expect("the connection shown");
    let said = position("@robot ping").unwrap_or_else(|| panic!("what was said: {dom}"));
    assert!(
        items[said].contains("Han Meimei") && items[said].contains("said to the robot"),
        "{}",
        items[said]
    );
    let reply = position("pong to Han Meimei: ping").unwrap_or_else(|| panic!("the reply: {dom}"));
    assert!(
        connected < said && said < reply,
        "in order: {connected} {said} {reply}"
    );
    assert!(items[reply].contains("posted"), "{}", items[reply]);
    assert!(dom.contains("delivered"), "the say box's answer: {dom}");
    // The app's secret is nowhere on the page.
    assert!(!dom.contains("preview-secret"));
}
