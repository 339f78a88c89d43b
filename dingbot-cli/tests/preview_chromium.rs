//! The preview page of `dingbot mock --ui` in a real headless Chromium: the quickstart's
//! messages are sent, the page is loaded, and the DOM Chromium rendered is checked —
//! headings, buttons laid out by orientation, feed items, a mention that notifies, a
//! rejected request with its reason — then a screenshot is saved (`DINGBOT_WRITE_SCREENSHOT=1` writes it to
//! `docs/preview.png`, the one the README shows). A message whose every field carries
//! markup and `javascript:` links is shown as text, and none of it runs.
//!
//! Skips (saying so) without Chromium, unless `CI=true`, where that is a failure.

// The raw HTTP client the emulator's own tests use, shared from the workspace's tests.
#[path = "../../tests/tests/mock_util/mod.rs"]
mod mock_util;
mod programs;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use dingbot::mock::MockServer;
use dingbot::{Robot, Text};
use dingbot_cli::preview::PreviewPage;
use serde_json::json;

const SECRET: &str = "SECquickstart0123456789";

/// A fresh, empty directory under the target dir.
fn fresh_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a directory for Chromium");
    dir
}

/// Runs headless Chromium on `url` with `extra` arguments (`--dump-dom`,
/// `--screenshot=...`) and a fresh profile; returns its stdout. Virtual time lets the
/// page poll the emulator a few times before Chromium reports.
fn chromium(chromium: &Path, url: &str, extra: &[String]) -> String {
    let profile = fresh_dir("chromium-profile");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
            "--window-size=1200,1500",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("run chromium");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        out.status.success(),
        "chromium failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `<article class="request ...">` elements of a dumped DOM, each as its HTML.
fn articles(dom: &str) -> Vec<&str> {
    dom.split("<article ").skip(1).collect()
}

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

    // The screenshot the README shows, with a payload rendered in the paste box too.
    let shot = fresh_dir("preview-screenshot").join("preview.png");
    let arg = format!("--screenshot={}", shot.display());
    let pasted = json!({
        "msgtype": "markdown",
        "markdown": { "title": "Deploy done", "text": "#### Deploy done\n\n**api** v2.4 is live\n\n- 3 pods\n- 0 errors" }
    });
    let url = format!("{url}#paste={}", mock_util::encode(&pasted.to_string()));
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

/// An element's start tag in serialized HTML.
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every start tag in serialized HTML. Text is serialized with `<` escaped, so every raw
/// `<` that begins a name is an element; quoted attribute values are skipped whole.
fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' || !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
            i += 1;
        }
        let mut tag = Tag {
            name: html[start..i].to_lowercase(),
            attrs: Vec::new(),
        };
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let name_start = i;
            while i < bytes.len() && !b" \t\n\r=>/".contains(&bytes[i]) {
                i += 1;
            }
            let name = html[name_start..i].to_lowercase();
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                match bytes.get(i) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let value_start = i + 1;
                        let end = html[value_start..]
                            .find(quote as char)
                            .map_or(bytes.len(), |n| value_start + n);
                        value = html[value_start..end].to_owned();
                        i = end + 1;
                    }
                    _ => {
                        let value_start = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        value = html[value_start..i].to_owned();
                    }
                }
            }
            tag.attrs.push((name, value));
        }
        tags.push(tag);
    }
    tags
}

/// Markup in every field of every message type, and `javascript:` in every URL.
fn hostile_payloads() -> Vec<serde_json::Value> {
    let x =
        r#"<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>"#;
    let js = "javascript:document.title='pwned'";
    let md = format!("# {x}\n\n[{x}]({js})\n\n![{x}]({js})\n\n**{x}** <b>bold</b>");
    vec![
        json!({ "msgtype": "text", "text": { "content": x }, "at": { "atMobiles": [x], "atUserIds": [x] } }),
        json!({ "msgtype": "markdown", "markdown": { "title": x, "text": md }, "at": { "atMobiles": [x] } }),
        json!({ "msgtype": "link", "link": { "title": x, "text": x, "messageUrl": js, "picUrl": js } }),
        json!({ "msgtype": "actionCard", "actionCard": {
            "title": x, "text": md, "btnOrientation": "1",
            "btns": [ { "title": x, "actionURL": js }, { "title": x, "actionURL": js } ] } }),
        json!({ "msgtype": "actionCard", "actionCard": {
            "title": x, "text": md, "singleTitle": x, "singleURL": js, "hideAvatar": "1" } }),
        json!({ "msgtype": "feedCard", "feedCard": { "links": [
            { "title": x, "messageURL": js, "picURL": js },
            { "title": x, "messageURL": js, "picURL": js } ] } }),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_messages_is_shown_as_text_and_never_runs() {
    let test = "markup_in_messages_is_shown_as_text_and_never_runs";
    let Some(browser) = programs::program("chromium", test) else {
        return;
    };
    let server = MockServer::builder().preview(true).start().await.unwrap();
    // First, msgtypes that are names of every JavaScript object's prototype: the page
    // must find no renderer for them, show them, and go on to the requests after them.
    let prototype_names = ["constructor", "toString", "__proto__", "hasOwnProperty"];
    for name in prototype_names {
        let payload = json!({ "msgtype": name, name: { "content": "<script>x</script>" } });
        let reply = mock_util::post_body(&server, payload.to_string().as_bytes())
            .await
            .unwrap();
        assert_eq!(reply.errcode(), 400105, "{payload}");
    }
    let payloads = hostile_payloads();
    for payload in &payloads {
        let reply = mock_util::post_body(&server, payload.to_string().as_bytes())
            .await
            .unwrap();
        assert_eq!(reply.errcode(), 0, "{payload}");
    }
    // Not JSON at all: shown raw, as text.
    let reply = mock_util::post_body(&server, b"<script>document.title='pwned'</script>")
        .await
        .unwrap();
    assert_ne!(reply.errcode(), 0);
    // And the same markup pasted into the page's box, through the `#paste=` link.
    let pasted = mock_util::encode(&payloads[1].to_string());
    let url = format!("{}#paste={pasted}", server.base_url());

    let dom =
        tokio::task::spawn_blocking(move || chromium(&browser, &url, &["--dump-dom".to_owned()]))
            .await
            .unwrap();

    let items = articles(&dom);
    assert_eq!(
        items.len(),
        prototype_names.len() + payloads.len() + 2,
        "every request, and the pasted one:\n{dom}"
    );
    assert!(
        dom.contains("live: 11 requests"),
        "the page went on past the prototype names"
    );
    let (prototyped, items) = items.split_at(prototype_names.len());
    for (item, name) in prototyped.iter().zip(prototype_names) {
        assert!(
            item.starts_with(r#"class="request rejected" data-index"#)
                && item.contains(&format!(r#"data-msgtype="{name}""#))
                && item.contains("Rejected: errcode 400105")
                && item.contains("&lt;script&gt;"),
            "{item}"
        );
    }
    // Nothing ran: the title is the page's own.
    assert!(
        dom.contains("<title>dingbot emulator: what the group sees</title>"),
        "{dom}"
    );
    assert!(!dom.contains("pwned</title>"), "{dom}");
    // The markup is text in the DOM, not elements: no script but the page's own, no
    // <img src="x">, no <b>, no event-handler attribute, no javascript: URL anywhere.
    let tags = tags(&dom);
    let scripts: Vec<_> = tags.iter().filter(|t| t.name == "script").collect();
    assert_eq!(scripts.len(), 1, "only the page's own script: {scripts:?}");
    assert_eq!(scripts[0].attr("src"), Some("/preview.js"));
    for tag in &tags {
        assert!(tag.name != "b" && tag.name != "iframe", "{tag:?}");
        assert!(
            !(tag.name == "img" && tag.attr("src") == Some("x")),
            "{tag:?}"
        );
        for (name, value) in &tag.attrs {
            assert!(!name.starts_with("on"), "an event handler: {tag:?}");
            if name == "href" || name == "src" {
                assert!(
                    !value.trim().to_lowercase().starts_with("javascript:"),
                    "a javascript: URL: {tag:?}"
                );
            }
        }
    }
    assert!(
        dom.contains("&lt;img src=x onerror=\"document.title='pwned'\"&gt;&lt;script&gt;"),
        "the markup shown as text:\n{dom}"
    );
    // Every message type was rendered (not just dumped raw), each showing the markup
    // as text in its own place.
    for (item, payload) in items.iter().zip(&payloads) {
        let msgtype = payload["msgtype"].as_str().unwrap();
        assert!(
            item.contains(&format!(r#"data-msgtype="{msgtype}""#)),
            "{item}"
        );
        assert!(item.contains("&lt;script&gt;"), "{item}");
    }
    assert!(
        items[1].contains("<h1>&lt;img"),
        "the heading holds the markup as text: {}",
        items[1]
    );
    assert!(
        items[3].contains(r#"<span class="button not-a-link""#),
        "{}",
        items[3]
    );
    assert!(
        items[4].contains(r#"<div class="avatar hidden""#),
        "{}",
        items[4]
    );
    assert!(
        items[6].contains(r#"class="request rejected""#),
        "{}",
        items[6]
    );
    assert!(
        items[7].contains(r#"class="request accepted pasted""#),
        "{}",
        items[7]
    );
    assert!(items[7].contains("<h1>&lt;img"), "{}", items[7]);
}

/// A GET of `path` with the `Host` header given; the whole answer.
async fn raw_with_host(addr: std::net::SocketAddr, path: &str, host: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_routes_are_served_only_when_asked_for_and_never_recorded() {
    let on = MockServer::builder().preview(true).start().await.unwrap();
    let page = mock_util::send_raw(on.addr(), "GET", "/", None, b"")
        .await
        .unwrap();
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains("<script src=\"/preview.js\"></script>")
    );
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    let script = mock_util::send_raw(on.addr(), "GET", "/preview.js", None, b"")
        .await
        .unwrap();
    assert_eq!(script.status, 200);
    assert!(
        !script.text().contains("innerHTML"),
        "the page never parses strings as HTML"
    );

    // `POST /preview/check` judges a payload by the robot's settings without posting it.
    let keyworded = MockServer::builder()
        .preview(true)
        .keyword("alert")
        .start()
        .await
        .unwrap();
    let check = |body: &'static str| {
        let addr = keyworded.addr();
        async move {
            mock_util::send_raw(
                addr,
                "POST",
                "/preview/check",
                Some("application/json"),
                body.as_bytes(),
            )
            .await
            .unwrap()
            .json()
        }
    };
    let verdict = check(r#"{"msgtype":"text","text":{"content":"no keyword"}}"#).await;
    assert_eq!(verdict["errcode"], 310000);
    assert_eq!(
        verdict["reason"],
        "the message must contain one of the robot's keywords: put one in its text or title"
    );
    let verdict = check(r#"{"msgtype":"text","text":{"content":"alert: disk"}}"#).await;
    assert_eq!(verdict["errcode"], 0);
    let verdict = check(r#"{"msgtype":"image"}"#).await;
    assert_eq!(verdict["errcode"], 400105);
    let verdict = check("not json").await;
    assert_eq!(verdict["errcode"], 40035);
    assert!(keyworded.received().is_empty() && keyworded.requests().is_empty());

    // Requests after a point, for the page's polling.
    Robot::new(on.webhook_url())
        .unwrap()
        .send(&Text::new("one"))
        .await
        .unwrap();
    let feed = mock_util::send_raw(on.addr(), "GET", "/preview/requests?after=0", None, b"")
        .await
        .unwrap()
        .json();
    assert_eq!(feed["next"], 1);
    assert_eq!(feed["requests"][0]["payload"]["text"]["content"], "one");
    assert!(
        !feed.to_string().contains("access_token"),
        "the page never sees the token"
    );
    let later = mock_util::send_raw(on.addr(), "GET", "/preview/requests?after=1", None, b"")
        .await
        .unwrap()
        .json();
    assert_eq!(later["requests"], json!([]));
    assert_eq!(later["more"], false);
    // A page left open on an emulator that was restarted on the same port asks for
    // more than there is: `next` comes back to what there is, and `instance` differs,
    // so that the page starts over.
    let beyond = mock_util::send_raw(on.addr(), "GET", "/preview/requests?after=1000", None, b"")
        .await
        .unwrap()
        .json();
    assert_eq!(beyond["next"], 1);
    assert_eq!(beyond["instance"], feed["instance"]);
    let other = MockServer::builder().preview(true).start().await.unwrap();
    let other_feed = mock_util::send_raw(other.addr(), "GET", "/preview/requests", None, b"")
        .await
        .unwrap()
        .json();
    assert!(feed["instance"].as_str().is_some_and(|id| id.len() >= 16));
    assert_ne!(other_feed["instance"], feed["instance"]);

    // Only a Host that is an address or localhost reads the JSON routes: a page of a
    // DNS name rebound to 127.0.0.1 cannot.
    let port = on.addr().port();
    for (host, status) in [
        (format!("127.0.0.1:{port}"), 200),
        (format!("localhost:{port}"), 200),
        (format!("rebound.example:{port}"), 403),
        ("127.0.0.1:1".to_owned(), 403),
    ] {
        let answer = raw_with_host(on.addr(), "/preview/requests", &host).await;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{host}: {answer}"
        );
        if status == 403 {
            assert!(!answer.contains("\"requests\""), "{answer}");
        }
    }
    assert_eq!(
        on.requests().len(),
        1,
        "preview routes are not requests to the robot"
    );

    // Without preview(true), `/` is what DingTalk answers there: 404.
    let off = MockServer::start().await.unwrap();
    let page = mock_util::send_raw(off.addr(), "GET", "/", None, b"")
        .await
        .unwrap();
    assert_eq!(page.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_markdown_subset_renders_as_dingtalk_renders_it() {
    let test = "the_markdown_subset_renders_as_dingtalk_renders_it";
    let Some(browser) = programs::program("chromium", test) else {
        return;
    };
    let server = MockServer::builder().preview(true).start().await.unwrap();
    let text = [
        "# H1",
        "## H2",
        "###### H6",
        "",
        "> quoted **bold** line",
        "",
        "*italic* and **bold** and [link](https://example.com/a) and \\*not italic\\*",
        "",
        "![chart](https://example.com/chart.png)",
        "",
        "- one",
        "- two",
        "",
        "1. first",
        "2. second",
        "",
        "line one",
        "line two  ",
        "after break",
        "",
        "> first quoted line",
        "> second quoted line",
        ">",
        "> next quoted paragraph",
        "",
        "* star item",
        "+ plus item",
        "1) paren item",
        "",
        "![app](dingtalk://dingtalkclient/page/link?url=x)",
        "",
        "| a | b |",
        "|---|---|",
        "",
        "```",
        "let x = 1;",
        "```",
        "",
        "<b>html</b>",
        "",
        "@13800000000 and @13911112222",
    ]
    .join("\n");
    let payloads = [
        json!({ "msgtype": "markdown", "markdown": { "title": "Subset", "text": text },
                "at": { "atMobiles": ["13800000000"], "isAtAll": true } }),
        json!({ "msgtype": "actionCard", "actionCard": { "title": "Vertical", "text": "two buttons",
                "btns": [ { "title": "First", "actionURL": "https://example.com/1" },
                          { "title": "Second", "actionURL": "https://example.com/2" } ] } }),
        json!({ "msgtype": "actionCard", "actionCard": { "title": "Single", "text": "one link",
                "singleTitle": "Read all", "singleURL": "https://example.com/all", "hideAvatar": "1",
                "btns": [ { "title": "Ignored", "actionURL": "https://example.com/x" } ] } }),
        // `@138000000001` is a longer number: it does not notify 13800000000.
        json!({ "msgtype": "text", "text": { "content": "only @138000000001 here" },
                "at": { "atMobiles": ["13800000000"] } }),
    ];
    for payload in &payloads {
        let reply = mock_util::post_body(&server, payload.to_string().as_bytes())
            .await
            .unwrap();
        assert_eq!(reply.errcode(), 0, "{payload}");
    }
    let url = server.base_url();
    let dom =
        tokio::task::spawn_blocking(move || chromium(&browser, &url, &["--dump-dom".to_owned()]))
            .await
            .unwrap();
    let items = articles(&dom);
    assert_eq!(items.len(), 4, "{dom}");
    let (md, vertical, single, longer) = (items[0], items[1], items[2], items[3]);
    assert!(
        longer.contains("@13800000000 will not notify: no @13800000000 in the text"),
        "{longer}"
    );
    assert!(!longer.contains(r#"class="mention notify""#), "{longer}");

    for fragment in [
        "<h1>H1</h1><h2>H2</h2><h6>H6</h6>",
        "<blockquote><p>quoted <strong>bold</strong> line</p></blockquote>",
        r#"<p><em>italic</em> and <strong>bold</strong> and <a href="https://example.com/a" target="_blank" rel="noopener noreferrer">link</a> and *not italic*</p>"#,
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>",
        // A single newline joins lines; two trailing spaces break one.
        "<p>line one line two<br>after break</p>",
        // Not rendered: shown as the text they are.
        "<p>| a | b | |---|---|</p>",
        "<p>``` let x = 1; ```</p>",
        "<p>&lt;b&gt;html&lt;/b&gt;</p>",
        // The lines of a quote are joined like any paragraph's; `>` alone separates.
        "<blockquote><p>first quoted line second quoted line</p><p>next quoted paragraph</p></blockquote>",
        // Only `-` and `1.` make lists.
        "<p>* star item + plus item 1) paren item</p>",
        "only - makes a list item in DingTalk",
        "only 1. numbering makes an ordered list in DingTalk",
        // A picture only from http(s).
        r#"<span class="not-a-link" title="not shown: an image must be a public http(s) URL">app</span>"#,
        // The mention in `at` and in the body notifies; the other is only text.
        r#"<span class="mention notify" title="notifies 13800000000">@13800000000</span>"#,
        r#"<span class="mention inert""#,
        "@all: everyone is notified",
        "tables are not rendered",
        "code blocks are not rendered",
        "HTML is not rendered",
        "a single newline is not a line break",
    ] {
        assert!(md.contains(fragment), "missing {fragment}:\n{md}");
    }
    // The image: shown, or (offline) the placeholder naming it.
    assert!(
        md.contains(r#"<img alt="chart" src="https://example.com/chart.png">"#)
            || md.contains(r#"<span class="broken-picture" title="could not load https://example.com/chart.png">chart</span>"#),
        "{md}"
    );

    assert!(
        vertical.contains(r#"<div class="buttons vertical">"#),
        "{vertical}"
    );
    assert_eq!(
        vertical.matches(r#"<a class="button""#).count(),
        2,
        "{vertical}"
    );
    assert!(
        vertical.contains(r#"<div class="avatar">bot</div>"#),
        "{vertical}"
    );

    assert!(
        single.contains(
            r#"<div class="buttons single"><a class="button" href="https://example.com/all""#
        ),
        "{single}"
    );
    assert!(
        !single.contains("Ignored</a>"),
        "btns beside a single button are not shown: {single}"
    );
    assert!(single.contains("btns are ignored"), "{single}");
    assert!(single.contains(r#"<div class="avatar hidden""#), "{single}");
}

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
