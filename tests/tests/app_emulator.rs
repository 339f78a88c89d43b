//! The emulator's OpenAPI checked with raw requests, as any client in any language
//! would meet it: the token endpoint, then each refusal's HTTP status and DingTalk's
//! `{"code", "message", "requestid"}`.

use dingbot::mock::MockServer;
use serde_json::{Value, json};

async fn post(
    http: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut request = http
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        request = request.header("x-acs-dingtalk-access-token", token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap(),
    )
}

#[tokio::test]
async fn every_refusal_has_dingtalks_status_and_code() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let server = MockServer::builder()
        .app("key", "secret", "robot")
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}{}", server.base_url().trim_end_matches('/'), path);

    let (status, answer) = post(
        &http,
        url("/v1.0/oauth2/accessToken"),
        None,
        json!({"appKey": "key", "appSecret": "secret"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(answer["expireIn"], 7200);
    let token = answer["accessToken"].as_str().unwrap().to_owned();
    let (status, answer) = post(
        &http,
        url("/v1.0/oauth2/accessToken"),
        None,
        json!({"appKey": "key", "appSecret": "nope"}),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (400, Some("invalidClientSecret"))
    );

    let send = url("/v1.0/robot/groupMessages/send");
    let good = json!({"robotCode": "robot", "openConversationId": "cid",
                      "msgKey": "sampleText", "msgParam": "{\"content\":\"hi\"}"});
    let with = |key: &str, value: Value| {
        let mut body = good.clone();
        body[key] = value;
        body
    };
    let cases = [
        (None, good.clone(), 401, "InvalidAuthentication"),
        (Some("forged"), good.clone(), 401, "InvalidAuthentication"),
        (
            Some(token.as_str()),
            with("msgParam", json!({"content": "hi"})),
            400,
            "param.invalid",
        ),
        (
            Some(token.as_str()),
            with("msgKey", json!("sampleNothing")),
            400,
            "param.invalid",
        ),
        (
            Some(token.as_str()),
            with("msgParam", json!("{\"text\":\"no content\"}")),
            400,
            "param.invalid",
        ),
        (
            Some(token.as_str()),
            with(
                "msgParam",
                json!(json!({"content": "x".repeat(15_000)}).to_string()),
            ),
            400,
            "param.invalid",
        ),
        (
            Some(token.as_str()),
            with("robotCode", json!("other")),
            400,
            "resource.not.found",
        ),
        (Some(token.as_str()), good.clone(), 200, ""),
    ];
    for (token, body, want_status, want_code) in cases {
        let (status, answer) = post(&http, send.clone(), token, body.clone()).await;
        assert_eq!(status, want_status, "{body} -> {answer}");
        if want_status != 200 {
            assert_eq!(answer["code"], want_code, "{body} -> {answer}");
            assert!(answer["message"].is_string() && answer["requestid"].is_string());
        }
    }
    let users: Vec<String> = (0..21).map(|i| format!("u{i}")).collect();
    let (status, answer) = post(
        &http,
        url("/v1.0/robot/oToMessages/batchSend"),
        Some(&token),
        json!({"robotCode": "robot", "userIds": users, "msgKey": "sampleText",
               "msgParam": "{\"content\":\"hi\"}"}),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (400, Some("param.invalid"))
    );

    // Each request is recorded with its path and the reason in plain words.
    let requests = server.requests();
    assert_eq!(requests.len(), 11);
    assert!(requests[1].reason.as_deref().unwrap().contains("appSecret"));
    assert!(
        requests
            .iter()
            .all(|r| !r.body_text().contains("\"secret\""))
    );
    assert_eq!(server.app_messages().len(), 1);
}

#[tokio::test]
async fn without_an_app_the_openapi_paths_are_not_served() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let server = MockServer::start().await.unwrap();
    let response = reqwest::Client::new()
        .post(format!("{}v1.0/oauth2/accessToken", server.base_url()))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(MockServer::builder().app("", "s", "r").check().is_err());
}
