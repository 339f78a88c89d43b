//! **dingbot** sends DingTalk (钉钉) group-robot messages from Rust, correct by
//! construction.
//!
//! - Exact wire types for all five message types: [`Text`], [`Link`], [`Markdown`],
//!   [`ActionCard`], [`FeedCard`], unified as [`Message`].
//! - `#[derive(DingMessage)]` turns your own event types into messages, checked at
//!   compile time (feature `derive`, on by default).
//! - Mentions that notify: `@<mobile>` is written into the body for you ([`Payload`]).
//! - [`markdown`]: a writer for DingTalk's markdown subset, and [`markdown::escape`] so
//!   untrusted text can never inject links, images, headings, lists or mentions.
//! - Signing per request ([`sign`], [`Webhook`]), and typed errors ([`Error`]) for every
//!   errcode DingTalk answers, since DingTalk reports failures as HTTP 200. Tokens,
//!   secrets and passwords are held [`Redacted`]: no `Debug`, `Display` or error shows
//!   them.
//! - [`Robot`] (async) and [`blocking::Robot`] send with safe retries ([`RetryPolicy`]),
//!   pace themselves under DingTalk's 20 messages a minute ([`Pacing`], [`Rate`]) — in one
//!   process, or across a fleet through Redis ([`RobotBuilder::redis_pacing`], feature
//!   `redis`) — and merge alert storms into summaries ([`Digest`]).
//! - [`AppRobot`] sends as an enterprise app's robot through DingTalk's OpenAPI — to a
//!   group, to people one to one, and recalls — with the same messages ([`AppMessage`]
//!   maps them to the OpenAPI's templates), its access token kept and renewed for you.
//! - [`mock::MockServer`] emulates DingTalk on loopback, rules and all, for your tests
//!   (feature `mock`), the app robot's OpenAPI included.
//!
//! # Building messages
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
//!
//! # Sending, and what can go wrong
//!
//! ```no_run
//! use dingbot::{Error, Robot, Text};
//!
//! # async fn run() -> Result<(), Error> {
//! // DINGTALK_WEBHOOK (URL or bare token) and DINGTALK_SECRET (SEC...).
//! let robot = Robot::from_env()?;
//! match robot.send(&Text::new("【告警】db-1 down")).await {
//!     Ok(sent) => println!("delivered ({} attempts)", sent.attempts),
//!     Err(Error::KeywordsMissing { .. }) => eprintln!("the message needs one of the robot's keywords"),
//!     Err(Error::SignatureMismatch { .. }) => eprintln!("check DINGTALK_SECRET"),
//!     Err(err) => eprintln!("not delivered: {err}"),
//! }
//! # Ok(()) }
//! ```
//!
//! Transport failures, timeouts, HTTP 5xx, 3xx, 408 and 429, non-JSON answers and errcode
//! -1 are retried with back-off, and an invalid timestamp once with a fresh signature
//! (see [`RetryPolicy`]); every attempt is signed afresh and carries the same `msgUuid`,
//! so DingTalk never posts a message twice. Nothing else is retried.
//!
//! # Pacing and digests
//!
//! Every robot for one access token shares a window of its last sends, and waits for a
//! slot rather than get the robot throttled for ten minutes ([`Pacing`] chooses waiting
//! or failing fast). If DingTalk throttles it anyway, sends stop touching the network
//! until the throttle ends. Processes that share a token share the window and the
//! throttle flag through Redis with [`RobotBuilder::redis_pacing`] (feature `redis`; its
//! docs are the guide to running many replicas). For bursts, a [`Digest`] merges what
//! the window cannot take into markdown summaries:
//!
//! ```no_run
//! # async fn run(robot: dingbot::Robot) -> Result<(), dingbot::Error> {
//! use dingbot::{DigestConfig, Text};
//!
//! let digest = robot.digest(DigestConfig::default())?;
//! for host in ["db-1", "db-2", "web-7"] {
//!     digest.push(&Text::new(format!("{host}: disk 95% full")))?; // never waits
//! }
//! let stats = digest.close().await; // delivers what is held
//! println!("{} events in {} messages", stats.events, stats.messages);
//! # Ok(()) }
//! ```
//!
//! # Testing without DingTalk
//!
//! With the `mock` feature, [`mock::MockServer`] answers like DingTalk on 127.0.0.1:
//! signatures, keywords, the IP allow-list, the rate limit and its throttle, the size
//! limit, DingTalk's errcodes and errmsgs; it records what it accepts and injects faults
//! on demand. A [`clock::Clock::manual`] shared with the robot makes its minutes pass in
//! milliseconds. `dingbot mock --ui` (crate `dingbot-cli`) runs it as a server with a page
//! that shows every request as the group would see it.
//!
//! # Where things are
//!
//! Every item has one path. What you name to build, send or configure is at the crate
//! root ([`Robot`], [`RobotGroup`], [`Message`] and the five message types, [`Digest`], [`Pacing`],
//! [`Error`], ...); a module is public only when it is a part used on its own:
//! [`markdown`], [`clock`], [`blocking`], [`mock`], [`tracing`]. A getter whose natural name
//! is taken by a builder method of the same type is named `get_*`
//! ([`Link::get_pic_url`] beside [`Link::pic_url`]). `ARCHITECTURE.md` in the repository
//! maps the modules and how a message flows from a derived struct to the socket.
//!
//! # Features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `derive` | yes | `#[derive(DingMessage)]` |
//! | `blocking` | no | [`blocking::Robot`] for synchronous code |
//! | `mock` | no | [`mock::MockServer`], the DingTalk emulator |
//! | `tracing` | no | [`tracing::layer`]: error events sent to the group through a digest (pulls in `tracing-subscriber`) |
//! | `redis` | no | [`RobotBuilder::redis_pacing`]: one window and one throttle flag for every process that shares a token (pulls in `redis`) |
//!
//! The `dingbot` command (`dingbot send`, `dingbot mock`, `dingbot alertmanager`) is a crate
//! of its own, built on this one's public API: `cargo install dingbot-cli`.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod app;
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod client;
pub mod clock;
pub mod command;
mod digest;
mod dingtalk;
mod error;
#[cfg(any(feature = "stream", feature = "mock"))]
#[path = "stream/frame.rs"]
mod frame;
mod group;
mod incoming;
mod keywords;
pub mod markdown;
mod message;
mod pace;
mod payload;
mod rate;
mod redacted;
mod retry;
mod webhook;

pub use app::{
    AppMessage, AppRobot, AppRobotBuilder, AppSent, AppTarget, DEFAULT_OPENAPI,
    MAX_MSG_PARAM_BYTES, MAX_USER_IDS, ToAppMessage,
};
pub use client::{DEFAULT_TIMEOUT, Robot, RobotBuilder, Sent};
pub use command::{CommandError, DingCommand};
pub use digest::{Detail, Digest, DigestConfig, DigestStats, Settled};
pub use dingtalk::{DEFAULT_ENDPOINT, MAX_BODY_BYTES};
pub use error::{BoxError, Error};
pub use group::RobotGroup;
pub use incoming::{AtUser, ConversationType, IncomingMessage, Session, TextContent};
pub use markdown::item::DingItem;
pub use message::{
    ActionCard, At, Button, ButtonList, DingMessage, FeedCard, FeedLink, Link, Markdown,
    MentionList, Message, Orientation, Text,
};
pub use pace::Pacing;
pub use payload::Payload;
pub use rate::Rate;
pub use redacted::Redacted;
pub use retry::RetryPolicy;
pub use webhook::{Webhook, sign};

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

#[cfg(feature = "tracing")]
#[cfg_attr(docsrs, doc(cfg(feature = "tracing")))]
pub mod tracing;

pub mod outgoing;

#[cfg(feature = "stream")]
#[cfg_attr(docsrs, doc(cfg(feature = "stream")))]
pub mod stream;

#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
#[doc = include_str!("derive.md")]
pub use dingbot_derive::DingMessage;

/// Derives [`DingItem`](trait@crate::DingItem) for a struct: how it renders as one item of
/// a `#[ding(list)]` field (`#[ding(item = "...")]`), checked at compile time.
///
/// See [the derive's manual](derive@crate::DingMessage#lists-list-and-dingitem).
#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
pub use dingbot_derive::DingItem;

/// Derives [`DingCommand`](trait@crate::DingCommand) for an enum of commands; see
/// [`command`].
#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
pub use dingbot_derive::DingCommand;

#[doc(hidden)]
#[path = "private/mod.rs"]
pub mod __private;
