//! A robot's keywords must be in the text the group sees.

use dingbot::mock::MockServer;
use dingbot::{ActionCard, Error, FeedCard, Link, Markdown, Message, Text};

use crate::mock_util::post;

#[tokio::test]
async fn keywords_must_be_in_the_visible_text() {
    let server = MockServer::builder()
        .keyword("告警")
        .keywords(["deploy", "Release"])
        .start()
        .await
        .unwrap();
    let accepted: Vec<Message> = vec![
        Text::new("磁盘告警: db-1").into(),
        Text::new("deploying api").into(),
        Markdown::new("告警", "body without it").into(),
        Markdown::new("title", "body with deploy").into(),
        // The markdown source is searched, link targets included.
        Markdown::new("t", "[x](https://deploy.example)").into(),
        Link::new("Release 1.2", "notes", "https://example.com").into(),
        Link::new("t", "the deploy notes", "https://example.com").into(),
        ActionCard::new("告警", "x")
            .button("ok", "https://example.com")
            .into(),
        ActionCard::new("t", "x")
            .button("deploy now", "https://example.com")
            .into(),
        ActionCard::new("t", "x")
            .single_button("Release it", "https://example.com")
            .into(),
        FeedCard::new()
            .link("a", "https://example.com/a", "https://example.com/a.png")
            .link(
                "deploy b",
                "https://example.com/b",
                "https://example.com/b.png",
            )
            .into(),
    ];
    for msg in &accepted {
        assert_eq!(post(&server, msg.clone()).await.errcode(), 0, "{msg:?}");
    }
    let rejected: Vec<Message> = vec![
        Text::new("all quiet").into(),
        Text::new("release 1.2").into(), // keywords are case-sensitive
        Link::new("t", "x", "https://example.com/deploy").into(),
        ActionCard::new("t", "x")
            .button("ok", "https://example.com/deploy")
            .into(),
        FeedCard::new()
            .link(
                "a",
                "https://example.com/deploy",
                "https://example.com/a.png",
            )
            .into(),
    ];
    for msg in &rejected {
        let reply = post(&server, msg.clone()).await;
        assert_eq!(
            reply.dingtalk(),
            (
                310000,
                "keywords not in content, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"
                    .to_owned()
            ),
            "{msg:?}"
        );
        assert!(matches!(reply.error(), Some(Error::KeywordsMissing { .. })));
    }
    assert_eq!(server.received(), accepted);
}
