//! Outgoing callbacks: the signature check (good, wrong, stale, missing) as a plain
//! function and through the axum extractor, which reads the same `IncomingMessage`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::response::IntoResponse;
use dingbot::outgoing::axum::{Outgoing, OutgoingRejection, OutgoingSecret};
use dingbot::outgoing::{OutgoingError, verify_outgoing};

const SECRET: &str = "outgoing-app-secret";

const BODY: &str = r#"{"msgtype":"text","text":{"content":" alerts"},"senderNick":"Li Lei",
 "senderStaffId":"0101","conversationId":"cid9","conversationType":"1",
 "sessionWebhook":"https://oapi.dingtalk.com/robot/sendBySession?session=s1",
 "sessionWebhookExpiredTime":4102444800000,"robotCode":"dingcode","isInAtList":true}"#;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn request(timestamp: Option<String>, sign: Option<String>) -> Request {
    let mut builder = Request::builder().method("POST").uri("/dingtalk");
    if let Some(ts) = timestamp {
        builder = builder.header("timestamp", ts);
    }
    if let Some(sign) = sign {
        builder = builder.header("sign", sign);
    }
    builder.body(Body::from(BODY)).unwrap()
}

async fn extract(req: Request) -> Result<Outgoing, OutgoingRejection> {
    Outgoing::from_request(req, &OutgoingSecret::new(SECRET)).await
}

#[test]
fn the_plain_function_takes_the_secret_s_signature_within_an_hour() {
    let ts = 1_700_000_000_000i64;
    let at = |ms: i64| UNIX_EPOCH + Duration::from_millis(ms as u64);
    let sign = dingbot::sign(SECRET, ts);
    assert_eq!(
        verify_outgoing(SECRET, &ts.to_string(), &sign, at(ts + 1000)),
        Ok(())
    );
    assert_eq!(
        verify_outgoing("another", &ts.to_string(), &sign, at(ts)),
        Err(OutgoingError::BadSignature)
    );
    assert!(matches!(
        verify_outgoing(SECRET, &ts.to_string(), &sign, at(ts + 3_600_001)),
        Err(OutgoingError::Stale { .. })
    ));
    // The error never shows the secret or the expected signature.
    let err = verify_outgoing("another", &ts.to_string(), &sign, at(ts)).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(!text.contains(SECRET) && !text.contains(&dingbot::sign("another", ts)));
}

#[tokio::test]
async fn the_extractor_reads_a_signed_callback() {
    let ts = now_ms();
    let Outgoing(msg) = extract(request(
        Some(ts.to_string()),
        Some(dingbot::sign(SECRET, ts)),
    ))
    .await
    .unwrap();
    assert_eq!(msg.text(), "alerts");
    assert_eq!(msg.sender_staff_id, "0101");
    assert!(!msg.conversation_type.is_group());
    assert_eq!(msg.robot_code, "dingcode");
}

#[tokio::test]
async fn the_extractor_refuses_bad_stale_and_missing_signatures_with_401() {
    let ts = now_ms();
    let stale = ts - 2 * 3_600_000;
    let cases = [
        request(
            Some(ts.to_string()),
            Some(dingbot::sign("not-the-secret", ts)),
        ),
        request(Some(stale.to_string()), Some(dingbot::sign(SECRET, stale))),
        request(None, Some(dingbot::sign(SECRET, ts))),
        request(Some(ts.to_string()), None),
    ];
    for req in cases {
        let rejection = extract(req).await.unwrap_err();
        assert!(
            matches!(rejection, OutgoingRejection::Unverified(_)),
            "{rejection:?}"
        );
        assert_eq!(rejection.into_response().status(), 401);
    }
}

/// The emulator in Outgoing mode posts what is said, signed, to an axum app using the
/// extractor; the app replies through the session webhook and the emulator records it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emulator_posts_a_signed_callback_and_records_the_reply() {
    use axum::routing::post;
    use dingbot::Text;
    use dingbot::mock::{MockServer, Say};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app_url = format!("http://{}/dingtalk", listener.local_addr().unwrap());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new()
        .route(
            "/dingtalk",
            post(move |Outgoing(msg): Outgoing| {
                let tx = tx.clone();
                async move {
                    let answer = Text::new(format!("{} asked: {}", msg.sender_nick, msg.text()));
                    let sent = msg.reply(&answer).await;
                    let _ = tx.send((msg.sender_staff_id.clone(), sent.is_ok()));
                    "ok"
                }
            }),
        )
        .with_state(OutgoingSecret::new(SECRET));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let server = MockServer::builder()
        .app("dingoutgoing", SECRET, "dingoutgoing")
        .outgoing(&app_url)
        .start()
        .await
        .unwrap();
    assert_eq!(server.say(Say::new("alerts").by("Li Lei", "0101")), 1);
    let (staff, replied) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("the app got the callback")
        .unwrap();
    assert_eq!((staff.as_str(), replied), ("0101", true));
    let replies: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/robot/sendBySession" && r.errcode == Some(0))
        .map(|r| r.body_text())
        .collect();
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(replies[0].contains("Li Lei asked: alerts"), "{replies:?}");
    // Nothing went over Stream.
    assert_eq!(server.stream_stats().delivered, 0);

    // Signed with another secret, the app refuses it: nothing is answered.
    let wrong = MockServer::builder()
        .app("dingoutgoing", "not-the-secret", "dingoutgoing")
        .outgoing(&app_url)
        .start()
        .await
        .unwrap();
    wrong.say("alerts");
    assert!(
        tokio::time::timeout(Duration::from_secs(2), rx.recv())
            .await
            .is_err(),
        "a callback signed with another secret reached the handler"
    );
}
