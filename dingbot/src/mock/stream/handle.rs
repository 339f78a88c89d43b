//! The Stream side on [`MockServer`]: saying something, the faults, the counters.

use super::hub::{Command, Hub, StreamStats};
use super::say::{Say, deliver};
use crate::mock::{MockServer, RecordedRequest};

impl MockServer {
    fn hub(&self) -> Option<&Hub> {
        self.inner.shared.stream.as_ref()
    }

    /// A group member says something to the robot: delivered as a robot message to one
    /// Stream connection, with a fresh session webhook on this emulator. How many
    /// connections got it: 0 when none is open (it is delivered on the next one) or when
    /// the emulator has no [`stream_app`](crate::mock::MockServerBuilder::stream_app).
    pub fn say(&self, say: impl Into<Say>) -> usize {
        let Some(hub) = self.hub() else { return 0 };
        let say = say.into();
        let delivered = deliver(
            hub,
            &say,
            &self.base_url(),
            self.inner.shared.config.clock.unix_ms(),
        );
        // Recorded as `POST /mock/say` would be, so the log and the preview show it.
        let body = serde_json::json!({
            "text": say.text,
            "senderNick": say.sender_nick,
            "senderStaffId": say.sender_staff_id,
            "conversationId": say.conversation_id,
            "conversationType": say.conversation_type,
        })
        .to_string()
        .into_bytes();
        self.inner.shared.record(RecordedRequest {
            method: "POST".to_owned(),
            path: "/mock/say".to_owned(),
            query: String::new(),
            content_type: Some("application/json".to_owned()),
            msg_uuid: None,
            body_len: body.len() as u64,
            body,
            http_status: Some(200),
            errcode: None,
            errmsg: None,
            reason: None,
            fault: None,
            accepted: true,
            duplicate: false,
            peer: self.addr(),
            at: std::time::Instant::now(),
        });
        delivered
    }

    /// Closes every Stream socket abruptly (no close frame); how many.
    pub fn stream_drop(&self) -> usize {
        self.hub().map_or(0, |hub| hub.tell_all(|| Command::Drop))
    }

    /// Sends every Stream socket the `disconnect` system frame (closing it shortly
    /// after); how many.
    pub fn stream_disconnect(&self) -> usize {
        self.hub()
            .map_or(0, |hub| hub.tell_all(|| Command::Disconnect))
    }

    /// Makes every open Stream socket silent: no more pings, nothing read
    /// (acknowledgements included); robot messages are still sent to it, and, not
    /// acknowledged, sent again on the next connection. How many.
    pub fn stream_mute(&self) -> usize {
        self.hub().map_or(0, |hub| hub.tell_all(|| Command::Mute))
    }

    /// The Stream side's counters (all zero without a
    /// [`stream_app`](crate::mock::MockServerBuilder::stream_app)).
    pub fn stream_stats(&self) -> StreamStats {
        self.hub().map(Hub::stats).unwrap_or_default()
    }
}
