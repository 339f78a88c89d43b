//! What DingTalk accepts is accepted and recorded as it was sent: every message type,
//! unknown fields, a payload built by dingbot.

use dingbot::mock::MockServer;
use dingbot::{ActionCard, FeedCard, Link, Markdown, Message, Payload, Text};

use crate::localhost;
use crate::mock_util::{post, post_body, post_payload};

#[tokio::test]
async fn accepts_every_message_type_and_records_it() {
    let server = MockServer::start().await.unwrap();
    let messages: Vec<Message> = vec![
        Text::new("hello").into(),
        Text::new("on call: @13800000000")
            .at_mobiles(["13800000000"])
            .into(),
        Markdown::new("Weather", "#### Hangzhou\n\n**Sunny**").into(),
        Link::new("Release", "v1.2 is out", "https://example.com/r")
            .pic_url("https://example.com/p.png")
            .into(),
        ActionCard::new("Approve?", "refund #7")
            .button("Yes", "https://example.com/y")
            .button("No", "https://example.com/n")
            .into(),
        ActionCard::new("Read", "the whole story")
            .single_button("Open", "https://example.com/s")
            .into(),
        FeedCard::new()
            .link("One", "https://example.com/1", "https://example.com/1.png")
            .link("Two", "https://example.com/2", "https://example.com/2.png")
            .into(),
    ];
    for msg in &messages {
        let reply = post(&server, msg.clone()).await;
        assert_eq!(reply.dingtalk(), (0, "ok".to_owned()));
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("application/json")
        );
    }
    assert_eq!(server.received(), messages);

    let requests = server.requests();
    assert_eq!(requests.len(), messages.len());
    for r in &requests {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/robot/send");
        assert_eq!(r.content_type.as_deref(), Some("application/json"));
        assert_eq!(r.http_status, Some(200));
        assert_eq!((r.errcode, r.errmsg.as_deref()), (Some(0), Some("ok")));
        assert!(r.accepted && !r.duplicate && r.fault.is_none());
        assert!(r.msg_uuid.is_some());
        assert_eq!(r.peer.ip(), localhost());
        assert_eq!(
            r.query_param("access_token").as_deref(),
            Some(dingbot::mock::DEFAULT_TOKEN)
        );
    }
    assert!(requests.windows(2).all(|w| w[0].at <= w[1].at));
}

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let server = MockServer::start().await.unwrap();
    let body =
        br#"{"msgtype":"text","text":{"content":"hi","extra":1},"future":true,"msgUuid":"u-1"}"#;
    let reply = post_body(&server, body).await.unwrap();
    assert_eq!(reply.errcode(), 0);
    assert_eq!(server.received(), vec![Message::from(Text::new("hi"))]);
    assert_eq!(server.requests()[0].msg_uuid.as_deref(), Some("u-1"));
}

#[tokio::test]
async fn a_payload_built_by_dingbot_is_what_the_emulator_records() {
    let server = MockServer::start().await.unwrap();
    let msg: Message = Markdown::new("Deploy", "api v42 is live")
        .at_user_ids(["alice"])
        .into();
    let payload = Payload::with_msg_uuid(&msg, "deploy-42").unwrap();
    assert_eq!(post_payload(&server, &payload).await.errcode(), 0);
    let mut sent = msg.clone();
    sent.notify_mentions();
    assert_eq!(server.received(), vec![sent]);
    let request = &server.requests()[0];
    assert_eq!(request.body, payload.body());
    assert_eq!(request.msg_uuid.as_deref(), Some("deploy-42"));
}
