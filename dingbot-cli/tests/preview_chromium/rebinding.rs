//! The page opened under another host name (as DNS rebinding would) reads nothing, and
//! a pasted payload it cannot check gets no verdict.

use dingbot::mock::MockServer;
use dingbot::{Robot, Text};
use dingbot_cli::preview::PreviewPage;
use serde_json::json;

use crate::{articles, chromium, mock_util, programs};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_under_another_name_reads_nothing_and_an_unchecked_paste_is_no_verdict() {
    let test = "a_page_under_another_name_reads_nothing_and_an_unchecked_paste_is_no_verdict";
    let Some(browser) = programs::program("chromium", test) else {
        return;
    };
    let server = MockServer::builder().preview(true).start().await.unwrap();
    Robot::new(server.webhook_url())
        .unwrap()
        .send(&Text::new("private to this machine"))
        .await
        .unwrap();
    // The page opened through a DNS name that resolves to the emulator, as a rebinding
    // attack would: the page loads, its JSON routes refuse it.
    let port = server.addr().port();
    let pasted = mock_util::encode(
        &json!({ "msgtype": "text", "text": { "content": "pasted while unchecked" } }).to_string(),
    );
    let url = format!("http://rebound.test:{port}/#paste={pasted}");
    let dom = tokio::task::spawn_blocking(move || {
        chromium(
            &browser,
            &url,
            &[
                "--dump-dom".to_owned(),
                "--host-resolver-rules=MAP rebound.test 127.0.0.1".to_owned(),
            ],
        )
    })
    .await
    .unwrap();
    assert!(
        dom.contains("<title>dingbot emulator"),
        "the page loaded:\n{dom}"
    );
    assert!(!dom.contains("private to this machine"), "{dom}");
    assert!(
        dom.contains("the emulator is not answering (HTTP 403"),
        "{dom}"
    );
    let items = articles(&dom);
    assert_eq!(items.len(), 1, "only the pasted payload:\n{dom}");
    let pasted = items[0];
    assert!(
        pasted.starts_with(r#"class="request unchecked pasted""#),
        "{pasted}"
    );
    assert!(pasted.contains("pasted while unchecked"), "{pasted}");
    assert!(
        pasted.contains("not checked: the emulator did not answer (HTTP 403"),
        "{pasted}"
    );
    assert!(!pasted.contains("errcode 0"), "not a verdict: {pasted}");
    assert!(!pasted.contains("would be accepted"), "{pasted}");
}
