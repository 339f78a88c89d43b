//! [`Digest`]: bursts merged into markdown summaries (the guide is on [`Digest`]).
//!
//! `handle.rs` is what the user holds, `delivery.rs` the task that sends, `state.rs`
//! what the two share; `summary.rs` plans a round's summaries and encodes them, which
//! `lines.rs` (one line per event, or counts) and `full.rs` (every event in full)
//! render, under a title from `title.rs`; `config.rs` holds the settings and the stats.

mod config;
mod delivery;
mod event;
mod full;
mod handle;
mod lines;
mod state;
mod summary;
mod title;

pub use config::{Detail, DigestConfig, DigestStats, Settled};
pub use handle::Digest;
