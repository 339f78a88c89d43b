//! The preview page of `dingbot mock --ui` in a real headless Chromium: the quickstart's
//! messages are sent, the page is loaded, and the DOM Chromium rendered is checked —
//! headings, buttons laid out by orientation, feed items, a mention that notifies, a
//! rejected request with its reason — then a screenshot is saved (`DINGBOT_WRITE_SCREENSHOT=1` writes it to
//! `docs/preview.png`, the one the README shows). A message whose every field carries
//! markup and `javascript:` links is shown as text, and none of it runs.
//!
//! Skips (saying so) without Chromium, unless `CI=true`, where that is a failure.

// The raw HTTP client the emulator's own tests use, shared from the workspace's tests.
#[path = "../../../tests/tests/mock_util/mod.rs"]
mod mock_util;
#[path = "../programs/mod.rs"]
mod programs;

mod bridge;
mod markdown;
mod markup;
mod paging;
mod quickstart;
mod rebinding;
mod routes;
mod said;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh, empty directory under the target dir.
fn fresh_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a directory for Chromium");
    dir
}

/// Runs headless Chromium on `url` with `extra` arguments (`--dump-dom`,
/// `--screenshot=...`) and a fresh profile; returns its stdout. Virtual time lets the
/// page poll the emulator a few times before Chromium reports.
fn chromium(chromium: &Path, url: &str, extra: &[String]) -> String {
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
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
            "--window-size=1200,1500",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
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

/// The `<article class="request ...">` elements of a dumped DOM, each as its HTML.
fn articles(dom: &str) -> Vec<&str> {
    dom.split("<article ").skip(1).collect()
}
