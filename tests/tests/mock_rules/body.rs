//! The body: its size limit, and malformed, incomplete or merely unusual messages.

use dingbot::Error;
use dingbot::mock::MockServer;

use crate::mock_util::post_body;
use crate::text_body_of_size;

#[tokio::test]
async fn body_size_limit_is_20000_bytes() {
    let server = MockServer::start().await.unwrap();
    let reply = post_body(&server, &text_body_of_size(20_000))
        .await
        .unwrap();
    assert_eq!(reply.errcode(), 0);

    let reply = post_body(&server, &text_body_of_size(20_001))
        .await
        .unwrap();
    assert_eq!(reply.dingtalk(), (460101, "message too big".to_owned()));
    assert!(matches!(reply.error(), Some(Error::BodyTooLarge { .. })));

    // Far too big: still DingTalk's answer, and the size is checked before the JSON.
    let huge = vec![b'{'; 5 * 1024 * 1024];
    let reply = post_body(&server, &huge).await.unwrap();
    assert_eq!(reply.errcode(), 460101);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn malformed_or_incomplete_messages() {
    let server = MockServer::start().await.unwrap();
    let cases: &[(&str, i64, &str)] = &[
        ("", 40035, "缺少参数 json"),
        ("not json", 40035, "缺少参数 json"),
        ("{\"msgtype\":", 40035, "缺少参数 json"),
        ("[1, 2]", 40035, "缺少参数 json"),
        ("{}", 40035, "缺少参数 msgtype"),
        (r#"{"text":{"content":"hi"}}"#, 40035, "缺少参数 msgtype"),
        (
            r#"{"msgtype":"image","image":{"url":"https://x"}}"#,
            400105,
            "不支持的消息类型 image",
        ),
        (
            r#"{"msgtype":"Text","text":{"content":"hi"}}"#,
            400105,
            "不支持的消息类型 Text",
        ),
        (r#"{"msgtype":"text"}"#, 40035, "缺少参数 text"),
        (r#"{"msgtype":"text","text":{}}"#, 40035, "缺少参数 content"),
        (
            r#"{"msgtype":"text","text":{"content":""}}"#,
            40035,
            "缺少参数 text.content",
        ),
        (
            r#"{"msgtype":"markdown","markdown":{"title":"t","text":"  "}}"#,
            40035,
            "缺少参数 markdown.text",
        ),
        (
            r#"{"msgtype":"link","link":{"title":"t","text":"x"}}"#,
            40035,
            "缺少参数 messageUrl",
        ),
        (
            r#"{"msgtype":"feedCard","feedCard":{"links":[]}}"#,
            40035,
            "缺少参数 feedCard.links",
        ),
        (
            r#"{"msgtype":"actionCard","actionCard":{"title":"t","text":"x"}}"#,
            40035,
            "缺少参数 actionCard.btns",
        ),
    ];
    for &(body, code, msg) in cases {
        let reply = post_body(&server, body.as_bytes()).await.unwrap();
        assert_eq!(reply.dingtalk(), (code, msg.to_owned()), "{body}");
    }
    let unsupported = post_body(&server, br#"{"msgtype":"image"}"#).await.unwrap();
    assert!(matches!(
        unsupported.error(),
        Some(Error::UnsupportedMessageType { .. })
    ));

    // Present but invalid.
    for body in [
        r#"{"msgtype":7}"#,
        r#"{"msgtype":"text","text":{"content":5}}"#,
        r#"{"msgtype":"actionCard","actionCard":{"title":"t","text":"x","hideAvatar":"2","btns":[]}}"#,
    ] {
        let reply = post_body(&server, body.as_bytes()).await.unwrap();
        let (code, msg) = reply.dingtalk();
        assert_eq!(code, 40035, "{body}");
        assert!(msg.starts_with("不合法的参数"), "{body}: {msg}");
    }
    assert!(server.received().is_empty());
    assert_eq!(server.requests().len(), cases.len() + 4);

    // What DingTalk accepts, the emulator accepts: a mobile that is nobody's (errcode 0,
    // nobody notified), `btns` beside a single button (ignored).
    for body in [
        r#"{"msgtype":"text","text":{"content":"x"},"at":{"atMobiles":["138 0000 0000"]}}"#,
        r#"{"msgtype":"actionCard","actionCard":{"title":"t","text":"x","singleTitle":"a","singleURL":"https://a.example","btns":[{"title":"b","actionURL":"https://b.example"}]}}"#,
    ] {
        let reply = post_body(&server, body.as_bytes()).await.unwrap();
        assert_eq!(reply.dingtalk().0, 0, "{body}");
    }
    assert_eq!(server.received().len(), 2);
}
