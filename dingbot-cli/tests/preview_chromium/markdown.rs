//! DingTalk's markdown subset, mentions and the action cards' button layouts, rendered
//! as DingTalk renders them.

use dingbot::mock::MockServer;
use dingbot_cli::preview::PreviewPage;
use serde_json::json;

use crate::{articles, chromium, mock_util, programs};

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
        "run `make` first",
        "",
        "[mail](mailto:ops@example.com)",
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
        // The notes come from the library's statement of the subset.
        "not rendered in DingTalk (table): the pipes and dashes show as text",
        "not rendered in DingTalk (code block): the fences show as text",
        "not rendered in DingTalk (HTML tag): the tags show as text",
        "not rendered in DingTalk (code span): the backticks show as they are",
        r#"<span class="not-a-link" title="not a link: DingTalk opens only http, https, dingtalk URLs">mail</span>"#,
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
