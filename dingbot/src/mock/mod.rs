//! A local emulator of DingTalk's custom-robot webhook, for tests.
//!
//! [`MockServer`] listens on `127.0.0.1` (by default) and answers `POST /robot/send` the
//! way DingTalk does — HTTP 200 with `{"errcode":N,"errmsg":"..."}` — enforcing what
//! DingTalk enforces, in DingTalk's order:
//!
//! | check | errcode | legacy errmsg |
//! |---|---|---|
//! | method is POST | 43002 | `需要POST请求` |
//! | `access_token` is the robot's | 300001 | `token is not exist` |
//! | peer address on the IP allow-list, if set | 310000 | `ip 127.0.0.1 not in whitelist` |
//! | `timestamp` and `sign` present, timestamp within 1 hour of the server's clock, if a secret is set | 310000 | `invalid timestamp` |
//! | `sign` matches, if a secret is set | 310000 | `sign not match, more: [...]` |
//! | body at most 20000 bytes | 460101 | `message too big` |
//! | body is JSON with a `msgtype` | 40035 | `缺少参数 json`, `缺少参数 msgtype` |
//! | `msgtype` is one a custom robot supports | 400105 | `不支持的消息类型 image` |
//! | required fields present and valid ([`Message::validate`](crate::Message::validate)) | 40035 | `缺少参数 text.content`, `不合法的参数 ...` |
//! | a keyword in the visible text, if keywords are set | 310000 | `keywords not in content, more: [...]` |
//! | not throttled, and at most 20 messages in any 60 s (then throttled for 10 minutes) | 130101 | `send too fast, exceed 20 times per minute` |
//! | `msgUuid` not seen before (else: errcode 0, not posted again) | 0 | `ok` |
//!
//! [`ErrmsgStyle::Current`] answers the newer `description:...;solution:...;link:...`
//! texts instead. Other paths answer HTTP 404. Every time rule reads the server's
//! [`Clock`](crate::clock::Clock), so a test with
//! [`Clock::manual`](crate::clock::Clock::manual) lives through a 10-minute throttle in
//! milliseconds. [`Fault`]s make it misbehave like an overloaded DingTalk or gateway.
//!
//! [`MockServer::subscribe`] follows the requests as they arrive, each with the reason
//! for a rejection in plain words ([`RecordedRequest::reason`]);
//! [`MockServer::requests_from`] pages through them; [`MockServer::check`] judges a
//! payload without posting it. [`MockServerBuilder::listen`] picks the address, and
//! [`MockServerBuilder::fallback`] lets an application serve pages of its own beside the
//! robot. The `dingbot mock` command (crate `dingbot-cli`) is this emulator as a
//! standalone server, with a preview page that shows the requests live, as a DingTalk
//! group renders them.
//!
//! The emulator stays bounded however long it runs and whatever it is sent. It keeps
//! the last [`keep`](MockServerBuilder::keep) requests ([`DEFAULT_KEEP`], 1,000), on any
//! path, in a ring: each new one beyond that drops the oldest, and
//! [`MockServer::dropped`] counts the dropped ones (a [`Subscription`] that falls that
//! far behind skips them and counts them in [`Subscription::missed`]). A record keeps
//! at most [`MAX_RECORDED_BODY`] (64 KiB) of a body, with its full length
//! ([`RecordedRequest::body_len`], [`RecordedRequest::body_cut`]). The accepted messages
//! are the last `keep` too, and duplicates are recognised among the last
//! [`REMEMBERED_MSG_UUIDS`] `msgUuid`s. A connection is closed when its request head
//! takes longer than [`header_read_timeout`](MockServerBuilder::header_read_timeout)
//! (10 s) from its first byte, or when it sends nothing for
//! [`idle_timeout`](MockServerBuilder::idle_timeout) (60 s) while the emulator waits for
//! it; at most [`max_connections`](MockServerBuilder::max_connections) (256) are served
//! at once, and beyond that the one that has waited longest for a request is closed to
//! make room (when every one is busy, new ones wait).
//!
//! Starting an emulator fails with its own error, [`MockError`]; a test that also sends
//! through a robot returns `Box<dyn std::error::Error>`, or unwraps.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use dingbot::mock::MockServer;
//! use dingbot::{Message, Robot, Text};
//!
//! let server = MockServer::start().await?;
//! let robot = Robot::new(&server.webhook_url())?;
//! robot.send(&Text::new("db-1: disk 95% full")).await?;
//!
//! assert_eq!(server.received(), vec![Message::from(Text::new("db-1: disk 95% full"))]);
//! # Ok(())
//! # }
//! ```
//!
//! | file | owns |
//! |---|---|
//! | `handle.rs` | [`MockServer`]: the handle to a running emulator |
//! | `builder.rs` | [`MockServerBuilder`]: the settings, the application's routes |
//! | `start.rs` | checking the settings, binding, the serving thread |
//! | `limits.rs` | what bounds the emulator: `keep`, body excerpts, `msgUuid` memory, timeouts, the cap |
//! | `shared.rs` | what the handles and the serving tasks share |
//! | `server.rs` | accepting connections within the cap, serving each within its timeouts |
//! | `conn.rs` | each connection's phase and deadline, making room at the cap |
//! | `request.rs` | one request: read, faults applied, rules, recorded, answered |
//! | `rules.rs`, `parse.rs`, `state.rs` | DingTalk's rules: on the request, on its body, on the robot's history (and the ring of requests) |
//! | `errmsg.rs` | rejections, their errcodes and errmsgs |
//! | `faults.rs` | [`Fault`]s |
//! | `record.rs`, `verdict.rs`, `subscribe.rs` | what the emulator tells: [`RecordedRequest`], [`RequestPage`], [`Verdict`], [`Subscription`] |
//! | `error.rs` | [`MockError`] |
//! | `openapi/` | the app robot's OpenAPI ([`MockServerBuilder::app`]): tokens, sends, recalls, [`AppDelivery`] |

mod answer;
mod builder;
mod conn;
mod errmsg;
mod error;
mod faults;
mod handle;
mod limits;
mod openapi;
mod parse;
mod record;
mod request;
mod rules;
mod server;
mod shared;
mod start;
mod state;
mod stream;
mod subscribe;
mod verdict;

pub use builder::{DEFAULT_TOKEN, MAX_KEYWORDS, MockServerBuilder};
pub use errmsg::ErrmsgStyle;
pub use error::MockError;
pub use faults::Fault;
pub use handle::MockServer;
pub use limits::{DEFAULT_KEEP, MAX_RECORDED_BODY, REMEMBERED_MSG_UUIDS};
pub use openapi::AppDelivery;
pub use record::{RecordedRequest, RequestPage};
pub use stream::{Say, StreamStats};
pub use subscribe::Subscription;
pub use verdict::Verdict;

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, SocketAddr};

    use super::MockServer;
    use crate::{Robot, Text};

    #[tokio::test]
    async fn listening_on_every_address_gives_a_reachable_webhook() {
        let server = MockServer::builder()
            .listen(SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)))
            .start()
            .await
            .unwrap();
        assert!(server.addr().ip().is_unspecified());
        let port = server.addr().port();
        assert!(
            server
                .webhook_url()
                .starts_with(&format!("http://127.0.0.1:{port}/robot/send?access_token="))
        );
        assert_eq!(server.base_url(), format!("http://127.0.0.1:{port}/"));
        Robot::new(server.webhook_url())
            .unwrap()
            .send(&Text::new("reached"))
            .await
            .unwrap();
        assert_eq!(server.received().len(), 1);
    }

    #[tokio::test]
    async fn an_address_in_use_is_an_error_that_names_it() {
        let first = MockServer::start().await.unwrap();
        let err = MockServer::builder()
            .listen(first.addr())
            .start()
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("cannot listen on {}", first.addr())),
            "{err}"
        );
    }

    #[test]
    fn debug_shows_the_listen_address_and_fallback_but_no_secret() {
        let builder = MockServer::builder()
            .secret("SECnever-shown")
            .fallback(|_, _| None)
            .listen(SocketAddr::from((Ipv4Addr::LOCALHOST, 8060)));
        let debug = format!("{builder:?}");
        assert!(debug.contains("listen: 127.0.0.1:8060") && debug.contains("fallback: true"));
        assert!(!debug.contains("never-shown"), "{debug}");
    }
}
