//! The checks run in DingTalk's order: the first rule broken is the one answered.

use dingbot::Error;
use dingbot::mock::MockServer;

use crate::mock_util::{post_to, send_raw, signed_target, target_of, text};
use crate::{SECRET, text_body_of_size};

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
