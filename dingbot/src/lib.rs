//! **dingbot** sends DingTalk (钉钉) group-robot messages from Rust, correct by
//! construction.
//!
//! - Exact wire types for all five message types: [`Text`], [`Link`], [`Markdown`],
//!   [`ActionCard`], [`FeedCard`], unified as [`Message`].
//! - Mentions that notify: `@<mobile>` is written into the body for you ([`Payload`]).
//! - [`markdown`]: a writer for DingTalk's markdown subset, and [`markdown::escape`] so
//!   untrusted text can never inject links, images, headings, lists or mentions.
//! - Signing per request ([`sign`], [`Webhook`]), and typed errors ([`Error`]) for every
//!   errcode DingTalk answers, since DingTalk reports failures as HTTP 200.
//!
//! ```
//! use dingbot::{ActionCard, Message, Payload, Text, markdown};
//!
//! // A text message that mentions the on-call engineer.
//! let alert = Text::new("db-1: disk 95% full").at_mobiles(["13800000000"]);
//!
//! // A card with two buttons; untrusted data goes through the markdown writer.
//! let customer = "ACME *Corp* [click me](https://evil.example)";
//! let body = markdown::Writer::new()
//!     .heading(4, "Refund request")
//!     .field("Customer", customer)
//!     .finish();
//! let card = ActionCard::new("Refund request", body)
//!     .button("Approve", "https://crm.example.com/refunds/7/approve")
//!     .button("Reject", "https://crm.example.com/refunds/7/reject");
//!
//! // What would be sent: validated, mentions in the body, at most 20000 bytes.
//! for msg in [Message::from(alert), card.into()] {
//!     let payload = Payload::new(&msg)?;
//!     assert!(payload.len() <= dingbot::MAX_BODY_BYTES);
//! }
//! # Ok::<(), dingbot::Error>(())
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod client;
pub mod clock;
pub mod digest;
mod error;
pub mod markdown;
pub mod message;
pub mod pace;
mod payload;
mod retry;
mod webhook;

pub use client::{DEFAULT_TIMEOUT, Robot, RobotBuilder, Sent};
pub use digest::{Digest, DigestConfig, DigestStats};
pub use error::{Error, MAX_BODY_BYTES};
pub use message::{
    ActionCard, At, Button, DingMessage, FeedCard, FeedLink, Link, Markdown, Message, Orientation,
    Text,
};
pub use pace::Pacing;
pub use payload::Payload;
pub use retry::RetryPolicy;
pub use webhook::{DEFAULT_ENDPOINT, Webhook, sign};

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
#[doc = include_str!("derive.md")]
pub use dingbot_derive::DingMessage;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
