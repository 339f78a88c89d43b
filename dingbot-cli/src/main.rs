//! `dingbot`: the command's entry point. Everything it does is in the `dingbot_cli`
//! library beside this file.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    dingbot_cli::Cli::parse().exec()
}
