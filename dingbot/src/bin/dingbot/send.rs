//! `dingbot send`: one message to a robot's webhook.

use crate::exit::Failure;

/// Flags of `dingbot send`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Sends the message.
pub async fn run(_args: Args) -> Result<(), Failure> {
    Err(Failure::internal("`dingbot send` is not built yet"))
}
