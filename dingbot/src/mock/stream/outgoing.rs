//! What is said, posted as DingTalk's Outgoing callback to an app in HTTP mode.

use std::time::Duration;

/// How long the app may take to answer the callback.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Posts `data` (the robot-message JSON) to `url`, signed with `secret` at `now_ms`,
/// from a thread of its own (the caller may be on no runtime); 1, the message is on its
/// way. The app's answer is logged at debug level; its reply comes through the session
/// webhook.
pub(super) fn post(url: &str, secret: &str, data: String, now_ms: i64) -> usize {
    let sign = crate::webhook::sign(secret, now_ms);
    let url = url.to_owned();
    let spawned = std::thread::Builder::new()
        .name("dingbot-mock-outgoing".to_owned())
        .spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                let Ok(tls) = crate::client::tls::client_config() else {
                    return;
                };
                let Ok(client) = reqwest::Client::builder()
                    .tls_backend_preconfigured(tls)
                    .timeout(TIMEOUT)
                    .build()
                else {
                    return;
                };
                let _ = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("timestamp", now_ms.to_string())
                    .header("sign", sign)
                    .body(data)
                    .send()
                    .await;
            });
        });
    usize::from(spawned.is_ok())
}
