//! The page follows the emulator a bounded page at a time: many large requests arrive
//! over several polls, and those the emulator dropped before the page saw them are
//! counted, not silently missing.

use dingbot::mock::MockServer;
use dingbot_cli::preview::PreviewPage;

use crate::{articles, chromium, mock_util, programs};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_follows_bounded_pages_and_counts_the_dropped() {
    let test = "the_page_follows_bounded_pages_and_counts_the_dropped";
    let Some(browser) = programs::program("chromium", test) else {
        return;
    };
    let server = MockServer::builder()
        .preview(true)
        .keep(50)
        .no_rate_limit()
        .start()
        .await
        .unwrap();
    // 60 bodies of 300 KB: each kept as a 64 KiB excerpt, about 15 to a poll.
    for i in 0..60 {
        let mut body = format!(r#"{{"msgtype":"text","text":{{"content":"large {i} "#).into_bytes();
        body.resize(300 * 1024 - 3, b'x');
        body.extend_from_slice(br#""}}"#);
        let reply = mock_util::post_body(&server, &body).await.unwrap();
        assert_eq!(reply.errcode(), 460101);
    }
    let first_poll =
        mock_util::send_raw(server.addr(), "GET", "/preview/requests?after=0", None, b"")
            .await
            .unwrap();
    assert!(first_poll.body.len() < 2 * 1024 * 1024);
    assert_eq!(
        first_poll.json()["more"],
        true,
        "more than one poll's worth"
    );

    let url = server.base_url();
    let dom =
        tokio::task::spawn_blocking(move || chromium(&browser, &url, &["--dump-dom".to_owned()]))
            .await
            .unwrap();
    let items = articles(&dom);
    assert_eq!(items.len(), 50, "every request kept is shown");
    assert!(
        items[0].contains("large 10 "),
        "the oldest kept comes first"
    );
    assert!(items[49].contains("large 59 "));
    assert!(
        items[0].contains("body cut: 307200 bytes were sent; the emulator keeps the first 64 KiB"),
        "{}",
        &items[0][..2000.min(items[0].len())]
    );
    assert!(
        dom.contains(
            "live: 50 requests · 10 dropped before shown (the emulator keeps the last 50)"
        ),
        "the dropped are counted"
    );
}
