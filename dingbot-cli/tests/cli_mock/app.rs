//! `dingbot mock --app-key ...`: the app robot's OpenAPI on the emulator's port, with
//! `dingbot send --app` and DingTalk's official Python SDK as clients, each request a
//! JSON log line with its path.

use std::process::Command;

use crate::cli_util::{Mock, dingbot, programs, run};

const ARGS: [&str; 8] = [
    "--app-key",
    "dingmock-app",
    "--app-secret",
    "mock-app-secret",
    "--robot-code",
    "dingmock-robot",
    "--log",
    "json",
];

/// The emulator's base URL, from its webhook URL.
fn base(mock: &Mock) -> String {
    let end = mock.webhook.find("/robot/send").expect("a webhook URL");
    mock.webhook[..end].to_owned()
}

#[test]
fn dingbot_send_app_reaches_dingbot_mock_and_is_logged_with_its_path() {
    let mut mock = Mock::start(&ARGS);
    let mut command = dingbot();
    command
        .args([
            "send",
            "--app",
            "--group",
            "cid-mock",
            "text",
            "hello from the app",
        ])
        .env("DINGTALK_APP_KEY", "dingmock-app")
        .env("DINGTALK_APP_SECRET", "mock-app-secret")
        .env("DINGTALK_ROBOT_CODE", "dingmock-robot")
        .env("DINGTALK_OPENAPI_ENDPOINT", base(&mock));
    let out = run(command, None);
    assert_eq!(out.code, 0, "{out:?}");
    let token = mock.json_line();
    assert_eq!(token["path"], "/v1.0/oauth2/accessToken");
    assert_eq!(token["http_status"], 200);
    assert!(!token.to_string().contains("mock-app-secret"), "{token}");
    let sent = mock.json_line();
    assert_eq!(sent["path"], "/v1.0/robot/groupMessages/send");
    assert_eq!(sent["accepted"], true);
    assert_eq!(sent["message"]["msgKey"], "sampleText");
    assert_eq!(mock.stop_with("TERM").0, Some(0));
}

#[test]
fn the_official_python_sdk_sends_to_dingbot_mock() {
    let test = "the_official_python_sdk_sends_to_dingbot_mock";
    if !programs::python_module(
        "alibabacloud_dingtalk.robot_1_0.client",
        "alibabacloud-dingtalk",
        test,
    ) {
        return;
    }
    let mut mock = Mock::start(&ARGS);
    let endpoint = base(&mock).trim_start_matches("http://").to_owned();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/python/app_send.py");
    let out = Command::new("python3")
        .args([
            script,
            &endpoint,
            "dingmock-app",
            "mock-app-secret",
            "dingmock-robot",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    let lines: Vec<serde_json::Value> = (0..3).map(|_| mock.json_line()).collect();
    let paths: Vec<&str> = lines.iter().map(|l| l["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "/v1.0/oauth2/accessToken",
            "/v1.0/robot/groupMessages/send",
            "/v1.0/robot/oToMessages/batchSend"
        ]
    );
    assert!(lines.iter().all(|l| l["http_status"] == 200));
    assert_eq!(lines[1]["message"]["msgKey"], "sampleMarkdown");
    assert_eq!(lines[2]["message"]["msgKey"], "sampleText");
    assert_eq!(mock.stop_with("TERM").0, Some(0));
}

#[test]
fn the_preview_shows_an_app_message_as_the_message_it_is() {
    let mut args = ARGS.to_vec();
    args.push("--ui");
    let mock = Mock::start(&args);
    let mut command = dingbot();
    command
        .args([
            "send",
            "--app",
            "--user",
            "u1",
            "markdown",
            "--title",
            "Deploy",
            "**api** v42",
        ])
        .args([
            "--app-key",
            "dingmock-app",
            "--app-secret",
            "mock-app-secret",
        ])
        .args(["--robot-code", "dingmock-robot", "--openapi", &base(&mock)]);
    assert_eq!(run(command, None).code, 0);
    let (status, page) = crate::flags::http_get(&mock.webhook, "/preview/requests?after=0");
    assert_eq!(status, 200);
    let page: serde_json::Value = serde_json::from_str(&page).unwrap();
    let sent = page["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "/v1.0/robot/oToMessages/batchSend")
        .expect("the send is on the page");
    assert_eq!(sent["payload"]["msgtype"], "markdown", "{sent}");
    assert_eq!(sent["payload"]["markdown"]["text"], "**api** v42");
    assert!(!page.to_string().contains("mock-app-secret"));
}
