//! A web page on another origin, in a real headless Chromium, tries to drive the bridge
//! as any page a browser shows could: `no-cors` POSTs of a fake alert as `text/plain`,
//! as a form, as a typeless blob, a CORS POST of JSON, and reloads with every body a page
//! may send without asking. Nothing reaches the group and no reload runs.
//!
//! Skips (saying so) without Chromium, unless `CI=true`, where that is a failure.

mod alertmanager_util;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use alertmanager_util::{Bridge, config_for, fresh_dir, metric, programs, texts};
use dingbot::mock::MockServer;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_on_another_origin_neither_posts_alerts_nor_reloads() {
    let test = "a_page_on_another_origin_neither_posts_alerts_nor_reloads";
    let Some(browser) = programs::program("chromium", test) else {
        return;
    };
    let dir = fresh_dir("browser");
    let server = MockServer::start().await.unwrap();
    let bridge = Bridge::start(
        &dir,
        &config_for(
            &server,
            "    mention:\n      mobiles: ['13800000000']\n",
            "",
        ),
        &[],
    );
    let page = attack_page(&bridge.url("/dingtalk/ops/send"), &bridge.url("/-/reload"));
    let origin = serve(page).await;

    let dom = tokio::task::spawn_blocking(move || chromium(&browser, &origin))
        .await
        .unwrap();
    assert!(
        dom.contains("settled 9:"),
        "the page ran to its end:\n{dom}"
    );
    // Anything that got through would be at the emulator by now; give it a moment more.
    tokio::time::sleep(Duration::from_millis(500)).await;

    assert!(
        server.received().is_empty(),
        "a page posted to the group:\n{}",
        texts(&server).join("\n----\n")
    );
    let metrics = bridge.metrics().await;
    assert_eq!(
        metric(&metrics, "dingbot_alertmanager_config_reloads_total", &[]),
        0.0,
        "a page reloaded the config:\n{metrics}"
    );
    let logs = bridge.logs();
    assert!(!logs.contains("config reloaded"), "{logs}");
    // The page's requests did arrive, and were refused by what they are.
    let refused = |reason: &str| {
        metric(
            &metrics,
            "dingbot_alertmanager_requests_refused_total",
            &[&format!("reason=\"{reason}\"")],
        )
    };
    assert!(refused("content_type") >= 6.0, "{metrics}");
    assert!(refused("origin") >= 1.0, "{metrics}");
}

/// A page whose script sends what any page may send to any address without asking:
/// "simple" requests in `no-cors` mode, whose answers it cannot read but which are
/// delivered all the same, and a CORS request that needs the bridge's consent first.
fn attack_page(send: &str, reload: &str) -> String {
    let alert = json!({
        "version": "4",
        "groupKey": "{}:{alertname=\"Forged\"}",
        "truncatedAlerts": 0,
        "status": "firing",
        "receiver": "dingtalk",
        "groupLabels": {"alertname": "Forged"},
        "commonLabels": {"alertname": "Forged"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.example:9093",
        "alerts": [{
            "status": "firing",
            "labels": {"alertname": "Forged"},
            "annotations": {"summary": "written by a web page"},
            "startsAt": "2026-12-01T11:44:54Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.example:9090/graph",
            "fingerprint": "f0"
        }]
    })
    .to_string();
    let js = |s: &str| serde_json::to_string(s).unwrap();
    format!(
        r#"<!doctype html>
<html><head><title>elsewhere</title></head><body>running</body>
<script>
const send = {send}, reload = {reload}, alert = {alert};
const tries = [
  [send, {{method: 'POST', mode: 'no-cors', headers: {{'Content-Type': 'text/plain'}}, body: alert}}],
  [send, {{method: 'POST', mode: 'no-cors', body: new URLSearchParams({{alert}})}}],
  [send, {{method: 'POST', mode: 'no-cors', body: new Blob([alert])}}],
  [send, {{method: 'POST', mode: 'cors', headers: {{'Content-Type': 'application/json'}}, body: alert}}],
  [reload, {{method: 'POST', mode: 'no-cors', headers: {{'Content-Type': 'text/plain'}}, body: '{{}}'}}],
  [reload, {{method: 'POST', mode: 'no-cors', body: new URLSearchParams({{a: '1'}})}}],
  [reload, {{method: 'POST', mode: 'no-cors', body: new FormData()}}],
  [reload, {{method: 'POST', mode: 'no-cors'}}],
  [reload, {{method: 'PUT', mode: 'no-cors'}}],
];
Promise.allSettled(tries.map(([url, init]) => fetch(url, init))).then(results => {{
  document.body.textContent = 'settled ' + results.length + ': ' +
    results.map(r => r.status === 'fulfilled' ? r.value.type : 'failed').join(' ');
}});
</script>
</html>
"#,
        send = js(send),
        reload = js(reload),
        alert = js(&alert),
    )
}

/// Serves `page` on a port of its own (another origin than the bridge's), to every
/// request; its URL.
async fn serve(page: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let page = page.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                    page.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    url
}

/// Runs headless Chromium on `url` with a fresh profile; the DOM once the page settled.
fn chromium(chromium: &Path, url: &str) -> String {
    let profile = fresh_dir("chromium-profile");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .output()
        .expect("run chromium");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        out.status.success(),
        "chromium failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
