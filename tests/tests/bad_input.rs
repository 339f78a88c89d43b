//! Bad input gets a clear error, never a panic, and nothing is sent.

mod emulator;

use dingbot::{
    ActionCard, Error, FeedCard, Link, MAX_BODY_BYTES, Markdown, Message, Payload, Robot, Text,
    Webhook,
};

fn invalid(msg: impl Into<Message>) -> (String, String) {
    match Payload::new(&msg.into()) {
        Err(Error::InvalidMessage { field, reason }) => (field, reason),
        other => panic!("expected InvalidMessage, got {other:?}"),
    }
}

#[test]
fn empty_parts() {
    assert_eq!(
        invalid(Text::new("")),
        ("text.content".into(), "is empty".into())
    );
    assert_eq!(invalid(Text::new("  \n ")).0, "text.content");
    assert_eq!(invalid(Markdown::new("", "body")).0, "markdown.title");
    assert_eq!(invalid(Markdown::new("t", "")).0, "markdown.text");
    assert_eq!(
        invalid(Link::new("", "t", "https://a.example")).0,
        "link.title"
    );
    assert_eq!(invalid(Link::new("t", "t", "")).0, "link.messageUrl");
    assert_eq!(
        invalid(Link::new("t", "t", "https://a.example").pic_url("")).0,
        "link.picUrl"
    );
    assert_eq!(
        invalid(ActionCard::new("t", "b").button("", "https://a.example")).0,
        "actionCard.btns[0].title"
    );
    assert_eq!(
        invalid(
            ActionCard::new("t", "b")
                .button("a", "https://a.example")
                .button("b", "")
        )
        .0,
        "actionCard.btns[1].actionURL"
    );
    assert_eq!(
        invalid(ActionCard::new("t", "b").single_button("go", " ")).0,
        "actionCard.singleURL"
    );
    assert_eq!(invalid(FeedCard::new()).0, "feedCard.links");
    assert_eq!(
        invalid(FeedCard::new().link("t", "https://a.example", "")).0,
        "feedCard.links[0].picURL"
    );
}

#[test]
fn bad_urls() {
    let (field, reason) = invalid(Link::new("t", "t", "not a url"));
    assert_eq!(field, "link.messageUrl");
    assert_eq!(reason, "is not an absolute URL");
    let (_, reason) = invalid(Link::new("t", "t", "javascript:alert(1)"));
    assert_eq!(reason, "must be an http(s):// or dingtalk:// URL");
    // DingTalk's own scheme (open in the side panel) is fine.
    let side = dingbot::markdown::dingtalk_link("https://a.example", true);
    Payload::new(&Link::new("t", "t", side)).unwrap();
}

#[test]
fn action_card_buttons() {
    let (_, reason) = invalid(ActionCard::new("t", "b"));
    assert!(reason.contains("no button"), "{reason}");
    let (_, reason) = invalid(
        ActionCard::new("t", "b")
            .single_button("all", "https://a.example")
            .button("one", "https://b.example"),
    );
    assert!(reason.contains("both"), "{reason}");
}

#[test]
fn oversized_message_says_size_and_limit() {
    let err = Payload::new(&Markdown::new("big", "长".repeat(7000))).unwrap_err();
    match &err {
        Error::MessageTooLarge { size, limit } => {
            assert_eq!(*limit, MAX_BODY_BYTES);
            assert!(*size > 21_000, "{size}");
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("20000") && text.contains("bytes"), "{text}");
}

#[test]
fn size_guard_counts_the_whole_body() {
    // Just under the limit with the envelope counted: accepted; one byte more: refused.
    let envelope = Payload::with_msg_uuid(&Text::new("x").into(), "u")
        .unwrap()
        .len()
        - 1;
    let fits = Text::new("x".repeat(MAX_BODY_BYTES - envelope));
    assert_eq!(
        Payload::with_msg_uuid(&fits.into(), "u").unwrap().len(),
        MAX_BODY_BYTES
    );
    let over = Text::new("x".repeat(MAX_BODY_BYTES - envelope + 1));
    assert!(matches!(
        Payload::with_msg_uuid(&over.into(), "u"),
        Err(Error::MessageTooLarge { size: 20_001, .. })
    ));
}

#[test]
fn bad_webhooks() {
    let reason = |w: &str| match Webhook::parse(w) {
        Err(Error::InvalidWebhook { reason }) => reason,
        other => panic!("{w}: {other:?}"),
    };
    assert!(reason("").contains("empty"));
    assert!(reason("http://oapi.dingtalk.com/robot/send?access_token=abc").contains("loopback"));
    assert!(reason("ftp://oapi.dingtalk.com/robot/send?access_token=abc").contains("scheme"));
    assert!(reason("https://oapi.dingtalk.com/robot/send").contains("no access_token"));
    assert!(reason("https://oapi.dingtalk.com/robot/send?access_token=").contains("empty"));
    assert!(reason("tok en").contains("may contain only"));
    assert!(reason("https://").contains("not a valid URL") || reason("https://").contains("host"));
    // A webhook of 65 KB is refused as bad input before anything is sent (it used to be
    // sent, fail at the gateway and be retried as a passing failure), and not echoed.
    let long = format!(
        "https://oapi.dingtalk.com/robot/send?access_token=abc&pad={}",
        "x".repeat(65_000)
    );
    let why = reason(&long);
    assert!(why.contains("bytes long") && why.len() < 200, "{why}");
    assert!(matches!(
        Robot::builder(&long).build(),
        Err(Error::InvalidWebhook { .. })
    ));
    assert!(Webhook::parse(&long[..4096]).is_ok(), "4 KiB is taken");
}

#[test]
fn bad_secrets() {
    for secret in ["", "abc", "sec123", " "] {
        assert!(
            matches!(
                Webhook::parse("tok").unwrap().with_secret(secret),
                Err(Error::InvalidSecret { .. })
            ),
            "{secret:?}"
        );
        assert!(matches!(
            Robot::builder("tok").secret(secret).build(),
            Err(Error::InvalidSecret { .. })
        ));
    }
}

#[test]
fn errors_never_show_the_token_or_secret() {
    let token = "tok_SUPERSECRET_123";
    for bad in [
        format!("http://example.com/robot/send?access_token={token}"),
        format!("{token} x"),
    ] {
        let err = Webhook::parse(&bad).unwrap_err();
        assert!(!err.to_string().contains("SUPERSECRET"), "{err}");
        assert!(!format!("{err:?}").contains("SUPERSECRET"), "{err:?}");
    }
    let err = Webhook::parse("tok")
        .unwrap()
        .with_secret("SUPERSECRET")
        .unwrap_err();
    assert!(
        !err.to_string().contains("SUPERSECRET") && !format!("{err:?}").contains("SUPERSECRET")
    );
}

#[test]
fn mentions_are_written_into_the_body_once() {
    let payload = Payload::new(
        &Markdown::new("t", "ping @13800000000")
            .at_mobiles(["13800000000", "13900000000"])
            .at_user_ids(["u1"]),
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_slice(payload.body()).unwrap();
    assert_eq!(
        json["markdown"]["text"],
        "ping @13800000000\n\n@13900000000 @u1"
    );
    assert_eq!(
        json["at"]["atMobiles"],
        serde_json::json!(["13800000000", "13900000000"])
    );
    // Nothing to add: the body is sent as written.
    let payload = Payload::new(&Text::new("@u1 hi").at_user_ids(["u1"])).unwrap();
    let json: serde_json::Value = serde_json::from_slice(payload.body()).unwrap();
    assert_eq!(json["text"]["content"], "@u1 hi");
}

#[test]
fn mention_ids_cannot_inject_markdown() {
    let hostile =
        Markdown::new("m", "body").at_mobiles(["138\n\n# Injected [x](https://evil.example)"]);
    let (field, reason) = invalid(hostile);
    assert_eq!(field, "at.atMobiles[0]");
    assert!(
        reason.contains("not a mobile number or user id"),
        "{reason}"
    );
    assert_eq!(
        invalid(Text::new("t").at_user_ids(["ok_1", "bad id"])).0,
        "at.atUserIds[1]"
    );
    assert_eq!(
        invalid(Text::new("t").at_user_ids(["_x_"])).0,
        "at.atUserIds[0]"
    );
    // Real ids pass: mobiles with a country code, DingTalk user ids.
    Payload::new(
        &Text::new("t")
            .at_mobiles(["+86-13800000000", "13900000000"])
            .at_user_ids(["manager4521", "0127-3345.x"]),
    )
    .unwrap();
}

#[tokio::test]
async fn extreme_durations_never_panic() {
    use dingbot::mock::{Fault, MockServer};
    use dingbot::{Pacing, RetryPolicy};
    use std::time::Duration;

    let (clock, server, robot) = emulator::pair(MockServer::builder(), |robot| {
        robot
            .rate_limit(dingbot::Rate::new(20, Duration::MAX))
            .pacing_margin(Duration::MAX)
            .pacing(Pacing::FailFast)
            .retry(
                RetryPolicy::default()
                    .max_attempts(2)
                    .backoff(Duration::MAX, Duration::MAX),
            )
            .timeout(Duration::MAX)
    })
    .await;
    server.inject(Fault::Status(502), 1);
    robot.send(&Text::new("x")).await.unwrap();
    server.throttle_now();
    assert!(
        robot
            .send(&Text::new("z"))
            .await
            .unwrap_err()
            .is_throttled()
    );
    assert!(matches!(
        robot.send(&Text::new("y")).await,
        Err(Error::RateLimited {
            throttled: true,
            ..
        })
    ));
    let before = clock.now();
    clock.advance(Duration::MAX);
    clock.sleep(Duration::MAX).await;
    assert!(clock.now() >= before, "the clock never goes back");
}
