//! The emulated app robot in Stream mode, served beside the webhook robot on the same
//! port: `/v1.0/gateway/connections/open` (single-use tickets), the WebSocket (`socket.rs`),
//! what a group member says (`say.rs`), the session webhooks and the faults (`routes.rs`).
//! `hub.rs` holds what they share: tickets, sockets, messages not yet acknowledged (sent
//! again on the next connection), sessions. `outgoing.rs` posts what is said as a signed
//! Outgoing callback instead, when [`MockServerBuilder::outgoing`](super::MockServerBuilder::outgoing) is set.

mod handle;
mod hub;
mod outgoing;
mod routes;
mod say;
mod socket;

pub use hub::StreamStats;
pub use say::Say;

pub(crate) use hub::{Hub, StreamApp};
pub(crate) use routes::route;
pub(crate) use socket::upgrade;
