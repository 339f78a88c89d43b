//! The emulator enforces DingTalk's rules, in DingTalk's order, with DingTalk's errcodes
//! and errmsgs: driven with raw HTTP.

mod mock_util;

use std::net::IpAddr;
use std::time::Duration;

use dingbot::mock::{ErrmsgStyle, MockServer};
use dingbot::{ActionCard, Error, FeedCard, Link, Markdown, Message, Payload, Text};
use mock_util::{
    encode, post, post_body, post_payload, post_to, send_raw, signed_target, target_of, text,
};

const SECRET: &str = "SECb1f0c9d3e2a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918";
const HOUR_MS: i64 = 60 * 60 * 1000;
const MINUTE_MS: i64 = 60 * 1000;

fn localhost() -> IpAddr {
    "127.0.0.1".parse().unwrap()
}

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
async fn other_paths_are_404_and_recorded() {
    let server = MockServer::start().await.unwrap();
    let body = text("hi");
    for target in ["/", "/robot", "/robot/send/", "/robot/sendx?access_token=x"] {
        let reply = post_to(&server, target, body.body()).await.unwrap();
        assert_eq!(reply.status, 404, "{target}");
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert!(
        requests
            .iter()
            .all(|r| r.http_status == Some(404) && r.errcode.is_none() && !r.accepted)
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn only_post_is_accepted() {
    let server = MockServer::start().await.unwrap();
    let target = target_of(&server.webhook_url());
    for method in ["GET", "PUT", "DELETE", "PATCH"] {
        let reply = send_raw(server.addr(), method, &target, None, b"")
            .await
            .unwrap();
        assert_eq!(
            reply.dingtalk(),
            (43002, "需要POST请求".to_owned()),
            "{method}"
        );
        assert!(matches!(
            reply.error(),
            Some(Error::Api { code: 43002, .. })
        ));
    }
    assert_eq!(server.requests()[0].method, "GET");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn missing_or_unknown_token() {
    let server = MockServer::builder()
        .token("right-token")
        .start()
        .await
        .unwrap();
    assert!(
        server
            .webhook_url()
            .ends_with("/robot/send?access_token=right-token")
    );
    let body = text("hi");
    for target in [
        "/robot/send",
        "/robot/send?access_token=",
        "/robot/send?access_token=wrong-token",
        "/robot/send?access_token=right-token2",
        "/robot/send?token=right-token",
    ] {
        let reply = post_to(&server, target, body.body()).await.unwrap();
        assert_eq!(
            reply.dingtalk(),
            (300001, "token is not exist".to_owned()),
            "{target}"
        );
        assert!(matches!(
            reply.error(),
            Some(Error::TokenNotFound { code: 300001, .. })
        ));
    }
    let reply = post_to(&server, "/robot/send?access_token=right-token", body.body())
        .await
        .unwrap();
    assert_eq!(reply.errcode(), 0);
}

#[tokio::test]
async fn ip_allow_list() {
    let blocked = MockServer::builder()
        .allow_ip("10.0.0.1".parse().unwrap())
        .allow_ip("::1".parse().unwrap())
        .start()
        .await
        .unwrap();
    let reply = post(&blocked, Text::new("hi")).await;
    assert_eq!(
        reply.dingtalk(),
        (310000, "ip 127.0.0.1 not in whitelist".to_owned())
    );
    assert!(matches!(reply.error(), Some(Error::IpNotAllowed { .. })));
    assert!(blocked.received().is_empty());

    let allowed = MockServer::builder()
        .allow_ips(["10.0.0.1".parse().unwrap(), localhost()])
        .start()
        .await
        .unwrap();
    assert_eq!(post(&allowed, Text::new("hi")).await.errcode(), 0);
}

#[tokio::test]
async fn signed_requests_are_verified() {
    let server = MockServer::builder().secret(SECRET).start().await.unwrap();
    assert_eq!(server.secret().as_deref(), Some(SECRET));
    let now = server.clock().unix_ms();
    let body = text("signed");

    // Correct: encoded once.
    let reply = post_to(&server, &signed_target(&server, now), body.body())
        .await
        .unwrap();
    assert_eq!(reply.errcode(), 0);

    let base = target_of(&server.webhook_url());
    let sig = dingbot::sign(SECRET, now);
    let cases = [
        // No signature at all, or half of it.
        (base.clone(), "invalid timestamp"),
        (format!("{base}&timestamp={now}"), "invalid timestamp"),
        (format!("{base}&sign={}", encode(&sig)), "invalid timestamp"),
        (
            format!("{base}&timestamp=yesterday&sign={}", encode(&sig)),
            "invalid timestamp",
        ),
        // Signed with another secret.
        (
            format!(
                "{base}&timestamp={now}&sign={}",
                encode(&dingbot::sign("SECother", now))
            ),
            "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
        ),
        // Signed for another timestamp.
        (
            format!(
                "{base}&timestamp={now}&sign={}",
                encode(&dingbot::sign(SECRET, now - 1))
            ),
            "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
        ),
        // URL-encoded twice: decodes to `...%3D`, not the base64 signature.
        (
            format!("{base}&timestamp={now}&sign={}", encode(&encode(&sig))),
            "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
        ),
    ];
    for (target, want) in cases {
        let reply = post_to(&server, &target, body.body()).await.unwrap();
        assert_eq!(reply.dingtalk(), (310000, want.to_owned()), "{target}");
        let err = reply.error().unwrap();
        if want == "invalid timestamp" {
            assert!(matches!(err, Error::InvalidTimestamp { .. }), "{err:?}");
        } else {
            assert!(matches!(err, Error::SignatureMismatch { .. }), "{err:?}");
        }
    }
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn not_encoding_the_sign_fails_when_it_has_a_plus() {
    // A raw `+` in a query decodes to a space, so an unencoded signature with `+` fails.
    let server = MockServer::builder().secret(SECRET).start().await.unwrap();
    let now = server.clock().unix_ms();
    let ts = (now - 1000..now)
        .find(|&ts| dingbot::sign(SECRET, ts).contains('+'))
        .expect("some signature in a second has a `+`");
    let base = target_of(&server.webhook_url());
    let target = format!("{base}&timestamp={ts}&sign={}", dingbot::sign(SECRET, ts));
    let reply = post_to(&server, &target, text("x").body()).await.unwrap();
    assert!(matches!(
        reply.error(),
        Some(Error::SignatureMismatch { .. })
    ));
}

#[tokio::test]
async fn timestamp_must_be_within_an_hour_of_the_server_clock() {
    let clock = dingbot::clock::Clock::manual();
    let server = MockServer::builder()
        .secret(SECRET)
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let now = clock.unix_ms();
    let at = |ts: i64| {
        let server = server.clone();
        async move {
            post_to(&server, &signed_target(&server, ts), text("t").body())
                .await
                .unwrap()
        }
    };
    assert_eq!(at(now - 61 * MINUTE_MS).await.errmsg(), "invalid timestamp");
    assert_eq!(at(now + 61 * MINUTE_MS).await.errmsg(), "invalid timestamp");
    assert_eq!(at(now - 59 * MINUTE_MS).await.errcode(), 0);
    assert_eq!(at(now + 59 * MINUTE_MS).await.errcode(), 0);
    assert_eq!(at(now - HOUR_MS).await.errcode(), 0);
    assert_eq!(at(0).await.errmsg(), "invalid timestamp");
    assert_eq!(at(i64::MIN).await.errmsg(), "invalid timestamp");

    // The window moves with the server's clock, not with real time.
    let signed_now = signed_target(&server, now);
    clock.advance(Duration::from_secs(61 * 60));
    let reply = post_to(&server, &signed_now, text("late").body())
        .await
        .unwrap();
    assert!(matches!(
        reply.error(),
        Some(Error::InvalidTimestamp { .. })
    ));
}

/// A text body of exactly `size` bytes.
fn text_body_of_size(size: usize) -> Vec<u8> {
    let empty = br#"{"msgtype":"text","text":{"content":""}}"#.len();
    let content = "x".repeat(size - empty);
    let body = format!(r#"{{"msgtype":"text","text":{{"content":"{content}"}}}}"#);
    assert_eq!(body.len(), size);
    body.into_bytes()
}

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

#[tokio::test]
async fn checks_run_in_dingtalks_order() {
    let server = MockServer::builder()
        .secret(SECRET)
        .keyword("kw")
        .start()
        .await
        .unwrap();
    let now = server.clock().unix_ms();
    let good = signed_target(&server, now);
    let bad_sign = format!(
        "{}&timestamp={now}&sign=AAAA",
        target_of(&server.webhook_url())
    );
    let no_kw = text("no keyword");
    let big = text_body_of_size(20_001);
    let addr = server.addr();

    // Method before token.
    let reply = send_raw(addr, "GET", "/robot/send?access_token=bad", None, b"")
        .await
        .unwrap();
    assert_eq!(reply.errcode(), 43002);
    // Token before signature.
    let reply = post_to(&server, "/robot/send?access_token=bad&sign=x", no_kw.body())
        .await
        .unwrap();
    assert_eq!(reply.errcode(), 300001);
    // Signature before size.
    let reply = post_to(&server, &bad_sign, &big).await.unwrap();
    assert_eq!(
        reply.errmsg(),
        "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"
    );
    // Size before JSON.
    let mut big_bad = big.clone();
    big_bad[0] = b'!';
    let reply = post_to(&server, &good, &big_bad).await.unwrap();
    assert_eq!(reply.errcode(), 460101);
    // JSON before keywords.
    let reply = post_to(
        &server,
        &good,
        br#"{"msgtype":"text","text":{"content":""}}"#,
    )
    .await
    .unwrap();
    assert_eq!(reply.errcode(), 40035);
    // Keywords before throttle.
    server.throttle_now();
    let reply = post_to(&server, &good, no_kw.body()).await.unwrap();
    assert!(matches!(reply.error(), Some(Error::KeywordsMissing { .. })));
    let reply = post_to(&server, &good, text("kw").body()).await.unwrap();
    assert_eq!(reply.errcode(), 130101);

    // IP before signature.
    let fenced = MockServer::builder()
        .secret(SECRET)
        .allow_ip("10.1.2.3".parse().unwrap())
        .start()
        .await
        .unwrap();
    let reply = post_to(&fenced, &target_of(&fenced.webhook_url()), no_kw.body())
        .await
        .unwrap();
    assert!(matches!(reply.error(), Some(Error::IpNotAllowed { .. })));
}

/// Triggers every rejection on a server with `style` and returns (what, errcode, errmsg).
async fn every_rejection(style: ErrmsgStyle) -> Vec<(&'static str, i64, String)> {
    let server = MockServer::builder()
        .secret(SECRET)
        .keyword("kw")
        .rate_limit(dingbot::Rate::new(1, Duration::from_secs(60)))
        .errmsg_style(style)
        .start()
        .await
        .unwrap();
    let fenced = MockServer::builder()
        .allow_ip("10.1.2.3".parse().unwrap())
        .errmsg_style(style)
        .start()
        .await
        .unwrap();
    let now = server.clock().unix_ms();
    let base = target_of(&server.webhook_url());
    let good = signed_target(&server, now);
    let kw = text("kw");
    let mut out = Vec::new();
    let mut push = |what, reply: mock_util::Reply| {
        let (code, msg) = reply.dingtalk();
        out.push((what, code, msg));
    };
    let addr = server.addr();
    push(
        "method",
        send_raw(addr, "GET", &good, None, b"").await.unwrap(),
    );
    push(
        "token",
        post_to(&server, "/robot/send?access_token=nope", kw.body())
            .await
            .unwrap(),
    );
    push(
        "ip",
        post_to(&fenced, &target_of(&fenced.webhook_url()), kw.body())
            .await
            .unwrap(),
    );
    push(
        "timestamp",
        post_to(
            &server,
            &signed_target(&server, now - 2 * HOUR_MS),
            kw.body(),
        )
        .await
        .unwrap(),
    );
    push(
        "sign",
        post_to(
            &server,
            &format!("{base}&timestamp={now}&sign=x"),
            kw.body(),
        )
        .await
        .unwrap(),
    );
    push(
        "size",
        post_to(&server, &good, &text_body_of_size(20_001))
            .await
            .unwrap(),
    );
    push("json", post_to(&server, &good, b"{").await.unwrap());
    push(
        "msgtype",
        post_to(&server, &good, br#"{"msgtype":"file"}"#)
            .await
            .unwrap(),
    );
    push(
        "keywords",
        post_to(&server, &good, text("nothing").body())
            .await
            .unwrap(),
    );
    assert_eq!(post_payload(&server, &kw).await.errcode(), 0);
    push("too fast", post_payload(&server, &text("kw 2")).await);
    push("throttled", post_payload(&server, &text("kw 3")).await);
    out
}

fn assert_classified(what: &str, code: i64, msg: &str) {
    let err = Error::from_api(code, msg).unwrap_or_else(|| panic!("{what}: errcode 0"));
    let ok = match what {
        "method" => matches!(err, Error::Api { code: 43002, .. }),
        "token" => matches!(err, Error::TokenNotFound { code: 300001, .. }),
        "ip" => matches!(err, Error::IpNotAllowed { .. }),
        "timestamp" => matches!(err, Error::InvalidTimestamp { .. }) && err.is_retryable(),
        "sign" => matches!(err, Error::SignatureMismatch { .. }) && !err.is_retryable(),
        "size" => matches!(err, Error::BodyTooLarge { .. }),
        "json" => matches!(err, Error::Api { code: 40035, .. }),
        "msgtype" => matches!(err, Error::UnsupportedMessageType { .. }),
        "keywords" => matches!(err, Error::KeywordsMissing { .. }),
        "too fast" | "throttled" => {
            matches!(err, Error::SendTooFast { code: 130101, .. }) && err.is_throttled()
        }
        other => panic!("unknown case {other}"),
    };
    assert!(ok, "{what}: {code} {msg:?} became {err:?}");
}

#[tokio::test]
async fn legacy_errmsgs_are_classified() {
    let got = every_rejection(ErrmsgStyle::Legacy).await;
    assert_eq!(got.len(), 11);
    for (what, code, msg) in &got {
        assert_classified(what, *code, msg);
        if *code == 310000 || *code == 300001 || *code == 130101 {
            assert!(!msg.contains("description:"), "{what}: {msg}");
        }
    }
    let msgs: Vec<&str> = got.iter().map(|(_, _, m)| m.as_str()).collect();
    assert!(msgs.contains(&"send too fast, exceed 1 times per minute"));
    assert!(msgs.contains(&"invalid timestamp"));
}

#[tokio::test]
async fn current_errmsgs_are_classified() {
    let got = every_rejection(ErrmsgStyle::Current).await;
    assert_eq!(got.len(), 11);
    for (what, code, msg) in &got {
        assert_classified(what, *code, msg);
        if *code == 310000 || *code == 300001 || *code == 130101 || *code == 460101 {
            assert!(
                msg.starts_with("description:")
                    && msg.contains(";solution:")
                    && msg.contains(";link:"),
                "{what}: {msg}"
            );
        }
    }
    let find = |what: &str| {
        got.iter()
            .find(|(w, _, _)| *w == what)
            .map(|(_, _, m)| m.clone())
            .unwrap()
    };
    assert_eq!(
        find("sign"),
        "description:机器人发送签名不匹配;solution:请确认签名和生成签名的时间戳必须都放在调用的url中;link:请参考本接口对应的开放平台文档"
    );
    assert!(find("timestamp").starts_with("description:机器人发送签名过期;"));
    assert!(find("keywords").starts_with("description:关键词不匹配;"));
    assert!(find("ip").starts_with("description:ip地址不在白名单;"));
    assert_eq!(find("json"), "缺少参数 json");
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
