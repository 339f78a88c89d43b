//! Markup and `javascript:` links in every field of every message type are shown as
//! text, and none of it runs.

use dingbot::mock::MockServer;
use dingbot_cli::preview::PreviewPage;
use serde_json::json;

use crate::{articles, chromium, mock_util, programs};

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
