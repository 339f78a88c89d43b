//! `dingbot mock`: the DingTalk emulator as a standalone server.

use crate::exit::Failure;

/// Flags of `dingbot mock`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the emulator until Ctrl-C or SIGTERM.
pub async fn run(_args: Args) -> Result<(), Failure> {
    Err(Failure::internal("`dingbot mock` is not built yet"))
}
