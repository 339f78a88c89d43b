//! Signed requests: the signature verified, encoded once, and its timestamp within an
//! hour of the server's clock.

use std::time::Duration;

use dingbot::Error;
use dingbot::mock::MockServer;

use crate::mock_util::{encode, post_to, signed_target, target_of, text};
use crate::{HOUR_MS, MINUTE_MS, SECRET};

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
