//! Secrets never appear in logs, metrics or answers.

use dingbot::mock::MockServer;

use crate::alertmanager_util::{Bridge, fresh_dir};
use crate::notification;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_appear_in_logs_metrics_or_answers() {
    let dir = fresh_dir("secrets");
    let secret = "SECthisisthesigningsecret0123456789";
    let server = MockServer::builder()
        .secret(secret)
        .token("tokensecretvalue42")
        .start()
        .await
        .unwrap();
    let webhook = server.webhook_url();
    let config = "targets:\n  ops:\n    url_env: OPS_WEBHOOK\n    secret_env: OPS_SECRET\n  wrong:\n    url_env: OPS_WEBHOOK\n    secret: SECthewrongsecretvalue\n";
    let bridge = Bridge::start(
        &dir,
        config,
        &[("OPS_WEBHOOK", &webhook), ("OPS_SECRET", secret)],
    );

    let (status, body) = bridge.notify("ops", &notification("Signed", "s1")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        server.received().len(),
        1,
        "signed with the secret from the environment"
    );
    // A wrong secret: DingTalk refuses, and nothing shown holds a secret.
    let (status, body) = bridge.notify("wrong", &notification("Signed", "s2")).await;
    assert_eq!(status, 500, "{body}");
    let shown = format!("{body}\n{}\n{}", bridge.metrics().await, bridge.logs());
    for secret in [secret, "SECthewrongsecretvalue", "tokensecretvalue42"] {
        assert!(!shown.contains(secret), "{secret} shown in:\n{shown}");
    }
    assert!(shown.contains("signature"), "the refusal says why: {body}");
}
