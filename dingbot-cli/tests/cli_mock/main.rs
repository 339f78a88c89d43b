//! `dingbot mock` run as a server, the way a test suite in any language uses it: the
//! webhook URL from the first line of stdout, a JSON line per request, a clean stop on
//! SIGTERM or Ctrl-C — with `dingbot send` and Python's `dingtalkchatbot` as clients.
//! (Unix only: the tests stop it with `kill`.)
#![cfg(unix)]

#[path = "../cli_util/mod.rs"]
mod cli_util;

mod app;
mod bounds;
mod flags;
mod json_log;
mod python_client;
mod stopping;
mod text_log;

use cli_util::{dingbot, run};

const SECRET: &str = "SECmock0123456789abcdef";

/// `dingbot send ARGS...` to `webhook`, signed with `secret` when given.
fn send(webhook: &str, secret: Option<&str>, args: &[&str]) -> cli_util::Run {
    let mut command = dingbot();
    command
        .arg("send")
        .args(args)
        .env("DINGTALK_WEBHOOK", webhook);
    if let Some(secret) = secret {
        command.env("DINGTALK_SECRET", secret);
    }
    run(command, None)
}
