//! The Stream side on [`MockServer`]: saying something, the faults, the counters.

use super::hub::{Command, Hub, StreamStats};
use super::say::{Say, deliver};
use crate::mock::MockServer;

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
        deliver(
            hub,
            &say.into(),
            &self.base_url(),
            self.inner.shared.config.clock.unix_ms(),
        )
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
