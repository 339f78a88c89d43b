//! Every rejection in both errmsg styles, legacy and current, classified as the same
//! error.

use std::time::Duration;

use dingbot::Error;
use dingbot::mock::{ErrmsgStyle, MockServer};

use crate::mock_util::{self, post_payload, post_to, send_raw, signed_target, target_of, text};
use crate::{HOUR_MS, SECRET, text_body_of_size};

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
