//! The `dingbot` command: send DingTalk robot messages from any shell, run the DingTalk
//! emulator as a standalone server with a live preview page, and bridge Prometheus
//! Alertmanager to DingTalk.
//!
//! ```sh
//! cargo install dingbot-cli
//! dingbot send text "disk full"           # DINGTALK_WEBHOOK, DINGTALK_SECRET
//! dingbot mock --ui                       # first stdout line: the webhook URL
//! dingbot alertmanager --config config.yml
//! ```
//!
//! This crate is the command's library and its binary, as cargo-nextest is: `main.rs`
//! parses the arguments into a [`Cli`] (clap's [`Parser::parse`]; its `Debug` never shows
//! a webhook, a token or a secret) and calls [`Cli::exec`]; everything else lives here. It uses only the public API of the `dingbot` library, and says so by being a
//! crate of its own. The items public here are those the command's tests and benchmarks
//! use; they are no promise to other users.
//!
//! Each subcommand lives in a module of its own with an `Args` (its flags, by clap's
//! derive) and an `async fn run(Args) -> Result<(), Failure>`; `exit` turns a `Failure`
//! into a message on stderr and one of the documented exit codes.
//!
//! | module | owns |
//! |---|---|
//! | `send.rs` | `dingbot send` |
//! | `mock.rs` | `dingbot mock` |
//! | [`preview`] | the preview page of `dingbot mock --ui` |
//! | [`alertmanager`] | `dingbot alertmanager`, the bridge |
//! | `signal.rs` | stopping on Ctrl-C and SIGTERM, on every platform |
//! | `exit.rs` | failures, their messages and exit codes |
//! | `terminal.rs` | text from outside made safe to print: controls and bidi overrides escaped, long values cut |
//! | `units.rs`, `output.rs` | durations in flags, stdout |

#![warn(missing_docs)]

pub mod alertmanager;
mod exit;
mod mock;
mod output;
pub mod preview;
mod send;
mod signal;
mod terminal;
mod units;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use exit::Failure;

// clap makes the doc comment the command's `--help` text; what rustdoc says more of
// `Cli` is in the crate docs and on `exec`.
/// Send DingTalk group-robot messages from the shell, or run a local DingTalk emulator.
#[derive(Debug, Parser)]
#[command(name = "dingbot", version, after_long_help = exit::EXIT_CODES_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Send a message to a robot's webhook (DINGTALK_WEBHOOK, DINGTALK_SECRET)
    Send(send::Args),
    /// Run the DingTalk emulator: prints its webhook URL, then answers like DingTalk
    Mock(mock::Args),
    /// Bridge Prometheus Alertmanager to DingTalk: a drop-in prometheus-webhook-dingtalk
    Alertmanager(alertmanager::Args),
}

impl Cli {
    /// Runs the command on a runtime of its own, reports a failure on stderr, and
    /// returns the exit code (0, or one of those `dingbot --help` lists).
    pub fn exec(self) -> ExitCode {
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(e) => {
                return exit::report(&Failure::internal(format!("cannot start a runtime: {e}")));
            }
        };
        let result = runtime.block_on(async move {
            match self.command {
                Command::Send(args) => send::run(args).await,
                Command::Mock(args) => mock::run(args).await,
                Command::Alertmanager(args) => alertmanager::run(args).await,
            }
        });
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => exit::report(&failure),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Cli;

    #[test]
    fn debug_of_the_arguments_never_shows_a_webhook_a_token_or_a_secret() {
        let parsed = [
            vec![
                "dingbot",
                "send",
                "text",
                "hi",
                "--webhook",
                "https://oapi.dingtalk.com/robot/send?access_token=tok3n-never-shown",
                "--secret",
                "SECsecret-never-shown",
            ],
            vec![
                "dingbot",
                "mock",
                "--token",
                "tok3n-never-shown",
                "--secret",
                "SECsecret-never-shown",
            ],
        ];
        for args in parsed {
            let cli = Cli::try_parse_from(&args).expect("valid arguments");
            let debug = format!("{cli:?}");
            assert!(
                !debug.contains("never-shown") && debug.contains("***"),
                "{debug}"
            );
        }
    }
}
