//! Integration tests for dingbot live in `tests/`.
//!
//! This library holds what those tests share for starting real programs on loopback; the
//! code is the `dingbot-cli` package's own test helper (its tests start Alertmanager and
//! Chromium), included from there so that one copy serves both.

#[path = "../../dingbot-cli/tests/programs/mod.rs"]
mod programs;

pub use programs::*;
