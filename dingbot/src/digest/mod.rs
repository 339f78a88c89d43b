//! [`Digest`]: bursts merged into markdown summaries (the guide is on [`Digest`]).
//!
//! `handle.rs` is what the user holds, `delivery.rs` the task that sends, `state.rs`
//! what the two share; `summary.rs` and `title.rs` render summaries; `config.rs` holds
//! the settings and the stats.

mod config;
mod delivery;
mod handle;
mod state;
mod summary;
mod title;

pub use config::{DigestConfig, DigestStats, Settled};
pub use handle::Digest;
