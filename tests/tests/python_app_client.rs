//! DingTalk's official Python SDK (PyPI `alibabacloud-dingtalk`, its `oauth2_1_0` and
//! `robot_1_0` clients) against the emulator: it obtains a token and sends
//! `sampleMarkdown` to a group and `sampleText` to users, and the emulator accepts both.
//! Then the Rust `AppRobot` sends the same, and its requests have the SDK's shape.
//!
//! Skips (saying so) when Python or the package is missing, unless
//! `DINGBOT_REQUIRE_PYTHON=1` (set by CI), where that is a failure.

/// Finding Python packages (shared with the `dingbot` command's tests).
#[path = "../../dingbot-cli/tests/programs/mod.rs"]
mod programs;

use std::collections::BTreeSet;
use std::process::Command;

use dingbot::mock::MockServer;
use dingbot::{AppRobot, Markdown, Text};
use serde_json::Value;

/// The request bodies on `path`, as JSON.
fn bodies(server: &MockServer, path: &str) -> Vec<Value> {
    server
        .requests()
        .iter()
        .filter(|r| r.path == path)
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_sdk_and_app_robot_send_the_same_shape() {
    if !programs::python_module(
        "alibabacloud_dingtalk.robot_1_0.client",
        "alibabacloud-dingtalk",
        "the_official_sdk_and_app_robot_send_the_same_shape",
    ) {
        return;
    }
    let (key, secret, robot_code) = ("dingpython", "python-app-secret", "dingpython-robot");
    let server = MockServer::builder()
        .app(key, secret, robot_code)
        .start()
        .await
        .unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/app_send.py");
    let endpoint = server.addr().to_string();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .args([script, &endpoint, key, secret, robot_code])
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "python failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 3, "{stdout}");
    assert_eq!(answers[0]["expireIn"], 7200);
    assert!(answers[1]["processQueryKey"].is_string());
    assert_eq!(answers[2]["invalidStaffIdList"], serde_json::json!([]));

    let delivered = server.app_messages();
    assert_eq!(delivered.len(), 2, "{:?}", server.requests());
    assert_eq!(delivered[0].msg_key, "sampleMarkdown");
    assert_eq!(
        delivered[0].open_conversation_id.as_deref(),
        Some("cid-python")
    );
    assert_eq!(delivered[1].msg_key, "sampleText");
    assert_eq!(delivered[1].user_ids, ["user-1", "user-2"]);
    assert!(server.requests().iter().all(|r| r.http_status == Some(200)));

    // The Rust robot's requests: the same fields, msgParam a string in both.
    let robot = AppRobot::builder(key, secret, robot_code)
        .openapi_url(server.base_url())
        .build()
        .unwrap();
    robot
        .send_to_group(
            "cid-python",
            &Markdown::new("Deploy", "**api** v42 is live"),
        )
        .await
        .unwrap();
    robot
        .send_to_users(["user-1", "user-2"], &Text::new("your deploy is live"))
        .await
        .unwrap();
    for path in [
        "/v1.0/oauth2/accessToken",
        "/v1.0/robot/groupMessages/send",
        "/v1.0/robot/oToMessages/batchSend",
    ] {
        let seen = bodies(&server, path);
        let (python, rust) = (&seen[0], &seen[seen.len() - 1]);
        assert_eq!(keys(python), keys(rust), "{path}: {python} vs {rust}");
        if let Some(param) = python.get("msgParam") {
            assert!(param.is_string() && rust["msgParam"].is_string());
            let parse = |v: &Value| serde_json::from_str::<Value>(v.as_str().unwrap()).unwrap();
            assert_eq!(parse(param), parse(&rust["msgParam"]), "{path}");
        }
    }
}
