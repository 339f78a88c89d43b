//! The app robot (`AppRobot`, DingTalk's OpenAPI) against the emulator: what it sends,
//! its token kept and renewed once for many callers, each way the OpenAPI says no as a
//! typed error, the 15,000-byte `msgParam` limit, flow control, recall, the derive.

use std::time::Duration;

use dingbot::clock::Clock;
use dingbot::mock::{MockServer, MockServerBuilder};
use dingbot::{
    AppRobot, AppRobotBuilder, Error, Markdown, Message, Pacing, Rate, RetryPolicy, Text,
};
use serde_json::Value;

const KEY: &str = "dingapp-key";
const SECRET: &str = "app-secret-never-shown";
const ROBOT: &str = "dingrobot-code";

fn server() -> MockServerBuilder {
    MockServer::builder().app(KEY, SECRET, ROBOT)
}

fn robot(server: &MockServer) -> AppRobotBuilder {
    AppRobot::builder(KEY, SECRET, ROBOT)
        .openapi_url(server.base_url())
        .retry(RetryPolicy::none())
}

fn body(server: &MockServer, path: &str) -> Vec<Value> {
    server
        .requests()
        .iter()
        .filter(|r| r.path == path)
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn sends_to_a_group_and_to_users_with_msg_param_as_a_string() {
    let server = server().start().await.unwrap();
    let robot = robot(&server).build().unwrap();
    let sent = robot
        .send_to_group("cid-ops", &Markdown::new("Deploy", "**api** v42"))
        .await
        .unwrap();
    assert!(sent.process_query_key.starts_with("mock-pqk-"));
    robot
        .send_to_users(["u1", "u2"], &Text::new("your deploy is live"))
        .await
        .unwrap();

    let group = &body(&server, "/v1.0/robot/groupMessages/send")[0];
    assert_eq!(group["robotCode"], ROBOT);
    assert_eq!(group["openConversationId"], "cid-ops");
    assert_eq!(group["msgKey"], "sampleMarkdown");
    let param: Value = serde_json::from_str(group["msgParam"].as_str().unwrap()).unwrap();
    assert_eq!(
        param,
        serde_json::json!({"title": "Deploy", "text": "**api** v42"})
    );
    let users = &body(&server, "/v1.0/robot/oToMessages/batchSend")[0];
    assert_eq!(users["userIds"], serde_json::json!(["u1", "u2"]));
    assert_eq!(users["msgKey"], "sampleText");
    assert!(users["msgParam"].is_string());

    let delivered = server.app_messages();
    assert_eq!(delivered.len(), 2);
    assert_eq!(
        delivered[0].message,
        Some(Message::from(Markdown::new("Deploy", "**api** v42")))
    );
    assert_eq!(delivered[1].user_ids, ["u1", "u2"]);
    // The token request is recorded with the secret masked.
    let token = &server.requests()[0];
    assert_eq!(token.path, "/v1.0/oauth2/accessToken");
    assert!(!format!("{:?}", server.requests()).contains(SECRET));
    assert!(!format!("{robot:?}").contains(SECRET));
}

#[tokio::test]
async fn recall_marks_the_message_recalled() {
    let server = server().start().await.unwrap();
    let robot = robot(&server).build().unwrap();
    let to_group = robot
        .send_to_group("cid", &Text::new("oops"))
        .await
        .unwrap();
    let to_users = robot
        .send_to_users(["u1"], &Text::new("oops"))
        .await
        .unwrap();
    robot.recall(&to_group).await.unwrap();
    robot.recall(&to_users).await.unwrap();
    assert!(server.app_messages().iter().all(|d| d.recalled));
    server.reset();
    assert!(server.app_messages().is_empty() && server.requests().is_empty());
    // Recalled from the wrong place: DingTalk names the key it could not recall.
    let mut wrong = to_group.clone();
    wrong.target = dingbot::AppTarget::Group("another-cid".into());
    let err = robot.recall(&wrong).await.unwrap_err();
    assert!(
        err.to_string().contains(&to_group.process_query_key),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_renewed_once_for_many_concurrent_sends() {
    let clock = Clock::manual();
    let server = server()
        .app_token_ttl(Duration::from_secs(60))
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let robot = robot(&server)
        .clock(clock.clone())
        .pacing(Pacing::Off)
        .build()
        .unwrap();
    robot
        .send_to_group("cid", &Text::new("first"))
        .await
        .unwrap();
    assert_eq!(server.app_tokens_issued(), 1);

    clock.advance(Duration::from_secs(61));
    let sends = (0..12).map(|i| {
        let robot = robot.clone();
        tokio::spawn(async move {
            robot
                .send_to_group("cid", &Text::new(format!("#{i}")))
                .await
        })
    });
    for send in sends.collect::<Vec<_>>() {
        send.await.unwrap().unwrap();
    }
    assert_eq!(server.app_tokens_issued(), 2, "one renewal for all twelve");
    assert_eq!(server.app_messages().len(), 13);
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    let clock = Clock::manual();
    let server = server()
        .app_token_ttl(Duration::from_secs(100))
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let robot = robot(&server).clock(clock.clone()).build().unwrap();
    robot.send_to_group("cid", &Text::new("a")).await.unwrap();
    clock.advance(Duration::from_secs(79));
    robot.send_to_group("cid", &Text::new("b")).await.unwrap();
    assert_eq!(server.app_tokens_issued(), 1);
    // A fifth of its life left: renewed before use, never refused.
    clock.advance(Duration::from_secs(2));
    robot.send_to_group("cid", &Text::new("c")).await.unwrap();
    assert_eq!(server.app_tokens_issued(), 2);
    assert!(server.requests().iter().all(|r| r.http_status == Some(200)));
}

#[tokio::test]
async fn a_revoked_token_is_fetched_anew_once_and_the_send_goes_out() {
    let server = server().start().await.unwrap();
    let robot = robot(&server).build().unwrap();
    robot.send_to_group("cid", &Text::new("a")).await.unwrap();
    server.revoke_app_tokens();
    robot.send_to_group("cid", &Text::new("b")).await.unwrap();
    assert_eq!(server.app_tokens_issued(), 2);
    let statuses: Vec<_> = server.requests().iter().map(|r| r.http_status).collect();
    assert_eq!(statuses, [200, 200, 401, 200, 200].map(Some));
}

#[tokio::test]
async fn wrong_credentials_and_robot_code_are_typed_errors_without_the_secret() {
    let server = server().start().await.unwrap();
    let wrong = AppRobot::builder(KEY, "wrong-secret-value", ROBOT)
        .openapi_url(server.base_url())
        .build()
        .unwrap();
    let err = wrong
        .send_to_group("cid", &Text::new("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::AppAuthentication { status: 400, code, .. } if code == "invalidClientSecret"),
        "{err:?}"
    );
    assert!(!format!("{err:?} {err}").contains("wrong-secret-value"));

    let other_robot = AppRobot::builder(KEY, SECRET, "not-my-robot")
        .openapi_url(server.base_url())
        .build()
        .unwrap();
    let err = other_robot
        .send_to_group("cid", &Text::new("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::AppBadParameter { status: 400, .. }),
        "{err:?}"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn msg_param_over_15000_bytes_is_refused_before_sending() {
    let server = server().start().await.unwrap();
    let robot = robot(&server).build().unwrap();
    let err = robot
        .send_to_group("cid", &Markdown::new("big", "x".repeat(15_000)))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::MsgParamTooLarge { limit: 15_000, size } if size > 15_000),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
    let fits = "x".repeat(15_000 - r#"{"text":"","title":"t"}"#.len());
    robot
        .send_to_group("cid", &Markdown::new("t", fits))
        .await
        .unwrap();
}

#[tokio::test]
async fn flow_control_is_a_typed_retryable_error_and_pacing_keeps_under_it() {
    let clock = Clock::manual();
    let rate = Rate::new(3, Duration::from_secs(1));
    let server = server()
        .app_rate_limit(Some(rate))
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let unpaced = robot(&server)
        .clock(clock.clone())
        .pacing(Pacing::Off)
        .build()
        .unwrap();
    for i in 0..3 {
        unpaced
            .send_to_group("cid", &Text::new(format!("{i}")))
            .await
            .unwrap();
    }
    let err = unpaced
        .send_to_group("cid", &Text::new("4th"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::AppFlowControlled { status: 403, .. }),
        "{err:?}"
    );
    assert!(err.is_retryable());

    // Retried after a back-off (the window has moved on by then).
    let retrying = robot(&server)
        .clock(clock.clone())
        .pacing(Pacing::Off)
        .retry(RetryPolicy::default().backoff(Duration::from_secs(1), Duration::from_secs(1)))
        .build()
        .unwrap();
    let sent = retrying
        .send_to_group("cid", &Text::new("5th"))
        .await
        .unwrap();
    assert_eq!(sent.attempts, 2);

    // Paced at the app's rate, nothing is refused.
    clock.advance(Duration::from_secs(2));
    drop((unpaced, retrying));
    let paced = robot(&server)
        .clock(clock.clone())
        .rate_limit(rate)
        .build()
        .unwrap();
    let before = server.requests().len();
    for i in 0..7 {
        paced
            .send_to_group("cid", &Text::new(format!("{i}")))
            .await
            .unwrap();
    }
    assert!(
        server.requests()[before..]
            .iter()
            .all(|r| r.http_status == Some(200))
    );
}

#[tokio::test]
async fn users_not_reached_are_reported_and_more_than_20_refused() {
    let server = server().app_staff(["u1", "u2"]).start().await.unwrap();
    let robot = robot(&server).build().unwrap();
    let err = robot
        .send_to_users(["u1", "ghost"], &Text::new("hi"))
        .await
        .unwrap_err();
    match err {
        Error::UsersNotReached {
            invalid_user_ids,
            flow_controlled_user_ids,
            process_query_key,
        } => {
            assert_eq!(invalid_user_ids, ["ghost"]);
            assert!(flow_controlled_user_ids.is_empty());
            assert!(!process_query_key.is_empty());
        }
        other => panic!("{other:?}"),
    }
    let many: Vec<String> = (0..21).map(|i| format!("u{i}")).collect();
    let err = robot
        .send_to_users(&many, &Text::new("hi"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidAppRequest { .. }), "{err:?}");
    assert_eq!(server.app_messages().len(), 1);
}

#[tokio::test]
async fn a_missing_permission_is_final_and_a_gateway_failure_is_retried() {
    let server = server().start().await.unwrap();
    let strict = robot(&server).build().unwrap();
    server.inject(dingbot::mock::Fault::Status(403), 1);
    let err = strict
        .send_to_group("cid", &Text::new("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::AppForbidden { status: 403, code, .. } if code.starts_with("Forbidden.AccessDenied")),
        "{err:?}"
    );
    assert!(!err.is_retryable());

    let patient = robot(&server)
        .retry(RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(2)))
        .build()
        .unwrap();
    server.inject(dingbot::mock::Fault::Status(503), 2);
    let sent = patient.send_to_group("cid", &Text::new("y")).await.unwrap();
    assert_eq!(sent.attempts, 3);
    server.inject(dingbot::mock::Fault::Status(500), 1);
    let err = patient
        .send_to_group("cid", &Text::new("z"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::AppApi { status: 500, .. }),
        "500 may have posted: {err:?}"
    );
    assert_eq!(server.app_messages().len(), 1);
}
