//! Reaching DingTalk through an HTTP proxy: a real tinyproxy on loopback, a target's
//! `proxy_url`, and `HTTP_PROXY` / `NO_PROXY` from the environment honoured by default.
//! The proxy's own log tells whether a request went through it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use dingbot::mock::MockServer;

use crate::alertmanager_util::programs::{Process, free_port, program};
use crate::alertmanager_util::{Bridge, config_for, fresh_dir};
use crate::notification;

/// tinyproxy on a free loopback port, logging every request to `tinyproxy.log` in `dir`.
struct Tinyproxy {
    _process: Process,
    url: String,
    log: PathBuf,
}

impl Tinyproxy {
    fn start(dir: &Path, test: &str) -> Option<Tinyproxy> {
        let binary = program("tinyproxy", test)?;
        let port = free_port();
        let log = dir.join("tinyproxy.log");
        let config = dir.join("tinyproxy.conf");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListen 127.0.0.1\nTimeout 30\nLogFile \"{}\"\nLogLevel Info\n\
                 MaxClients 20\nAllow 127.0.0.1\n",
                log.display()
            ),
        )
        .unwrap();
        let mut command = std::process::Command::new(binary);
        command
            .arg("-d")
            .arg("-c")
            .arg(&config)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut process = Process::start(command);
        process.wait_for_port(
            format!("127.0.0.1:{port}").parse().unwrap(),
            Duration::from_secs(10),
        );
        Some(Tinyproxy {
            _process: process,
            url: format!("http://127.0.0.1:{port}"),
            log,
        })
    }

    /// How many requests for DingTalk's path the proxy has carried.
    fn carried(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|line| line.contains("Request (") && line.contains("/robot/send"))
            .count()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_reaches_dingtalk_through_its_proxy_and_the_environments() {
    let test = "a_target_reaches_dingtalk_through_its_proxy_and_the_environments";
    let dir = fresh_dir("proxy");
    let Some(proxy) = Tinyproxy::start(&dir, test) else {
        return;
    };
    let server = MockServer::start().await.unwrap();

    // `proxy_url` on the target.
    let config = config_for(&server, &format!("    proxy_url: {}\n", proxy.url), "");
    let bridge = Bridge::start(&dir, &config, &[("NO_PROXY", ""), ("HTTP_PROXY", "")]);
    let (status, body) = bridge.notify("ops", &notification("ViaProxy", "p1")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.received().len(), 1);
    assert_eq!(proxy.carried(), 1, "the request went through the proxy");
    drop(bridge);

    // No proxy_url: HTTP_PROXY from the environment (the emulator is plain http).
    let plain = config_for(&server, "", "");
    let bridge = Bridge::start(
        &dir,
        &plain,
        &[("HTTP_PROXY", &proxy.url), ("NO_PROXY", "")],
    );
    let (status, body) = bridge.notify("ops", &notification("ViaEnv", "p2")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.received().len(), 2);
    assert_eq!(proxy.carried(), 2, "HTTP_PROXY is honoured");
    drop(bridge);

    // NO_PROXY names the host: reached directly.
    let bridge = Bridge::start(
        &dir,
        &plain,
        &[("HTTP_PROXY", &proxy.url), ("NO_PROXY", "127.0.0.1")],
    );
    let (status, body) = bridge.notify("ops", &notification("Direct", "p3")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.received().len(), 3);
    assert_eq!(proxy.carried(), 2, "NO_PROXY is honoured");

    // A proxy URL that cannot be used stops the start, never showing its password.
    let bad = config_for(&server, "    proxy_url: ftp://user:hunter2@proxy:21\n", "");
    std::fs::write(dir.join("bad.yml"), bad).unwrap();
    let out = std::process::Command::new(crate::alertmanager_util::DINGBOT)
        .args(["alertmanager", "--config"])
        .arg(dir.join("bad.yml"))
        .args(["--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("targets.ops.proxy_url: invalid proxy"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}
