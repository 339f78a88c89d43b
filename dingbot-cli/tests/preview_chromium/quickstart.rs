//! The quickstart's messages as the group sees them — headings, buttons, feed items,
//! mentions, a rejected request — and the screenshot the README shows.

use std::path::Path;

use dingbot::mock::MockServer;
use dingbot::{Robot, Text};
use dingbot_cli::preview::PreviewPage;
use serde_json::json;

use crate::{articles, chromium, fresh_dir, mock_util, programs};

const SECRET: &str = "SECquickstart0123456789";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quickstart_messages_render_as_dingtalk_shows_them() {
    let test = "quickstart_messages_render_as_dingtalk_shows_them";
    let Some(browser) = programs::program("chromium", test) else {
        return;
    };
    let server = MockServer::builder()
        .secret(SECRET)
        .preview(true)
        .start()
        .await
        .unwrap();
    let robot = Robot::builder(server.webhook_url())
        .secret(SECRET)
        .build()
        .unwrap();
    for message in dingbot_examples::quickstart_messages() {
        robot.send(&message).await.unwrap();
    }
    // A mention that will not notify: the id is in `at` but not in the body (sent raw,
    // since dingbot itself always writes it into the body).
    let silent = json!({
        "msgtype": "markdown",
        "markdown": { "title": "Backup done", "text": "#### Backup done\n\nall 3 volumes" },
        "at": { "atMobiles": ["13700000000"] }
    });
    let reply = mock_util::post_body(&server, silent.to_string().as_bytes())
        .await
        .unwrap();
    assert_eq!(reply.errcode(), 0);
    // And one the group never sees: signed with the wrong secret.
    let wrong = Robot::builder(server.webhook_url())
        .secret("SECwrong")
        .build()
        .unwrap();
    wrong.send(&Text::new("告警: 磁盘已满")).await.unwrap_err();

    let url = server.base_url();
    let dom = tokio::task::spawn_blocking({
        let (browser, url) = (browser.clone(), url.clone());
        move || chromium(&browser, &url, &["--dump-dom".to_owned()])
    })
    .await
    .unwrap();

    // The page and its JSON never hold the token, the secret or a request's signature.
    let token = server
        .webhook_url()
        .split("access_token=")
        .nth(1)
        .unwrap()
        .to_owned();
    let feed = mock_util::send_raw(server.addr(), "GET", "/preview/requests?after=0", None, b"")
        .await
        .unwrap()
        .text();
    assert!(
        feed.contains("13800000000"),
        "the JSON the page reads: {feed}"
    );
    for (what, text) in [("page", dom.as_str()), ("JSON", feed.as_str())] {
        for secret in [
            token.as_str(),
            SECRET,
            "access_token",
            "sign=",
            "timestamp=",
            r#""sign""#,
            r#""timestamp""#,
        ] {
            assert!(!text.contains(secret), "`{secret}` in the {what}:\n{text}");
        }
    }

    let items = articles(&dom);
    assert_eq!(items.len(), 8, "one article per request:\n{dom}");
    let [text, markdown, link, card, feed, derived, silent, rejected] = items[..] else {
        unreachable!()
    };

    // Text: the mention is highlighted and notifies.
    assert!(text.contains(r#"data-msgtype="text""#), "{text}");
    assert!(
        text.contains(
            r#"<span class="mention notify" title="notifies 13800000000">@13800000000</span>"#
        ),
        "{text}"
    );
    assert!(text.contains("@13800000000 notifies"), "{text}");

    // Markdown: heading, bold labels, escaped data shown as the text it is, a link.
    assert!(
        markdown.contains(r#"<span class="chat-title">Order 1842 failed</span>"#),
        "{markdown}"
    );
    assert!(
        markdown.contains("<h4>Order 1842 failed</h4>"),
        "{markdown}"
    );
    assert!(
        markdown.contains("<strong>Customer</strong>: ACME *Trading* [Co.]"),
        "{markdown}"
    );
    assert!(
        markdown.contains(r#"<a href="https://crm.example.com/orders/1842" target="_blank" rel="noopener noreferrer">Open the order</a>"#),
        "{markdown}"
    );

    // Link card.
    assert!(
        link.contains(r#"<a class="link-card" href="https://docs.rs/dingbot""#),
        "{link}"
    );
    assert!(
        link.contains(r#"<div class="link-title">dingbot</div>"#),
        "{link}"
    );

    // Action card: two buttons side by side, avatar shown.
    assert!(
        card.contains(r#"<div class="buttons horizontal">"#),
        "{card}"
    );
    assert!(
        card.contains(r#"<a class="button" href="https://ci.example.com/deploys/17/approve" target="_blank" rel="noopener noreferrer">Approve</a>"#),
        "{card}"
    );
    assert!(card.contains(">Reject</a>"), "{card}");
    assert!(card.contains(r#"<div class="avatar">bot</div>"#), "{card}");

    // Feed card: two entries, the first one large.
    assert_eq!(feed.matches(r#"class="feed-item"#).count(), 2, "{feed}");
    assert!(
        feed.contains(r#"<a class="feed-item first" href="https://example.com/notes""#),
        "{feed}"
    );
    assert!(
        feed.contains(r#"<span class="feed-title">Roadmap</span>"#),
        "{feed}"
    );

    // The derived event: its data is escaped, so `<script>` and `**` are plain text.
    assert!(derived.contains("<h4>Order 1843 failed</h4>"), "{derived}");
    assert!(derived.contains("Globex &lt;script&gt;"), "{derived}");
    assert!(derived.contains("address **unverified**"), "{derived}");
    assert!(
        derived.contains(r#"<span class="mention notify""#),
        "{derived}"
    );

    // The mention that does not notify is said so.
    assert!(
        silent.contains("@13700000000 will not notify: no @13700000000 in the text"),
        "{silent}"
    );

    // The rejected request: errcode, errmsg and the reason in plain words.
    assert!(
        rejected.contains(r#"class="request rejected""#),
        "{rejected}"
    );
    assert!(rejected.contains("Rejected: errcode 310000"), "{rejected}");
    assert!(rejected.contains("sign not match"), "{rejected}");
    assert!(rejected.contains("check DINGTALK_SECRET"), "{rejected}");
    assert!(rejected.contains("告警: 磁盘已满"), "{rejected}");
    assert!(
        dom.contains("live: 8 requests"),
        "the page polled the emulator"
    );

    // The screenshot the README shows, with a digest's summary of a burst rendered in
    // the paste box too: the payload a real digest sent to another emulator.
    let shot = fresh_dir("preview-screenshot").join("preview.png");
    let arg = format!("--screenshot={}", shot.display());
    let pasted = storm_summary().await;
    let url = format!("{url}#paste={}", mock_util::encode(&pasted));
    tokio::task::spawn_blocking(move || chromium(&browser, &url, &[arg]))
        .await
        .unwrap();
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 20_000,
        "a real screenshot"
    );
    if std::env::var("DINGBOT_WRITE_SCREENSHOT").is_ok_and(|v| v == "1") {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/preview.png");
        std::fs::write(&docs, &png).expect("write docs/preview.png");
    }
}

/// What a digest sends for a burst of nine failed orders after the first: the JSON of
/// its summary, one line an order, the on-call number mentioned once.
async fn storm_summary() -> String {
    let server = MockServer::start().await.unwrap();
    let robot = Robot::new(server.webhook_url()).unwrap();
    let digest = robot.digest(dingbot::DigestConfig::default()).unwrap();
    let customers = ["ACME Trading", "Globex", "Initech", "Umbrella", "Hooli"];
    for (i, customer) in customers.iter().cycle().take(10).enumerate() {
        let event = dingbot_examples::OrderFailed {
            id: 1842 + i as u64,
            customer: (*customer).to_owned(),
            reason: Some("card declined".to_owned()),
            oncall: vec!["13800000000".to_owned()],
        };
        digest.push(&event).unwrap();
    }
    let stats = digest.close().await;
    assert_eq!((stats.sent_alone, stats.merged), (1, 9), "{stats:?}");
    let requests = server.requests();
    let summary = requests.last().unwrap().body_text();
    assert!(summary.contains("9 events: 9 × Order failed"), "{summary}");
    assert!(summary.contains("Order 1851 · Hooli"), "{summary}");
    assert_eq!(summary.matches("@13800000000").count(), 1, "{summary}");
    summary
}
