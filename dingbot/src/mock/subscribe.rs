//! [`Subscription`]: following the requests as they arrive.

use std::fmt;
use std::sync::Arc;

use tokio::sync::watch;

use super::record::RecordedRequest;
use super::shared::{Shared, shutdown_signal};

/// The requests that reach a [`MockServer`](super::MockServer) from the moment of
/// [`subscribe`](super::MockServer::subscribe), one at a time, in arrival order.
///
/// A subscriber reads the requests from the emulator's record, which keeps the last
/// [`keep`](super::MockServerBuilder::keep): one that falls further behind than that
/// skips those dropped meanwhile, as it skips those a [`reset`](super::MockServer::reset)
/// forgot; [`missed`](Self::missed) counts them.
pub struct Subscription {
    shared: Arc<Shared>,
    /// How many requests since the start this subscriber has seen or skipped.
    cursor: u64,
    /// How many of those it skipped.
    missed: u64,
    recorded: watch::Receiver<u64>,
    stopped: watch::Receiver<bool>,
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("addr", &self.shared.addr)
            .field("cursor", &self.cursor)
            .field("missed", &self.missed)
            .finish_non_exhaustive()
    }
}

impl Subscription {
    pub(crate) fn new(shared: Arc<Shared>, stopped: watch::Receiver<bool>) -> Subscription {
        let recorded = shared.recorded.subscribe();
        let cursor = shared.lock().total;
        Subscription {
            shared,
            cursor,
            missed: 0,
            recorded,
            stopped,
        }
    }

    /// The next request, waiting for it to arrive; `None` once the server has stopped
    /// and every request before that was returned.
    pub async fn next(&mut self) -> Option<RecordedRequest> {
        loop {
            // Marks the current count seen before looking, so that a request recorded
            // after the look wakes the wait below.
            self.recorded.borrow_and_update();
            if let Some(request) = self.try_next() {
                return Some(request);
            }
            if *self.stopped.borrow() {
                return None;
            }
            tokio::select! {
                changed = self.recorded.changed() => {
                    if changed.is_err() {
                        return self.try_next();
                    }
                }
                () = shutdown_signal(&mut self.stopped) => {}
            }
        }
    }

    /// The next request if one has arrived, without waiting.
    pub fn try_next(&mut self) -> Option<RecordedRequest> {
        let state = self.shared.lock();
        let request = state.requests_after(self.cursor).next()?.clone();
        let number = self.cursor.max(state.first_kept());
        self.missed += number - self.cursor;
        self.cursor = number + 1;
        Some(request)
    }

    /// How many requests went by unread since the subscription began: dropped from the
    /// emulator's record before this subscriber read them (it fell more than
    /// [`keep`](super::MockServerBuilder::keep) behind), or forgotten by a
    /// [`reset`](super::MockServer::reset). Counted as the subscriber reads on past them.
    pub fn missed(&self) -> u64 {
        self.missed
    }
}

#[cfg(test)]
mod tests {
    use crate::mock::MockServer;
    use crate::{Robot, Text};

    #[tokio::test]
    async fn follows_requests_from_the_moment_of_subscribing() {
        let server = MockServer::start().await.unwrap();
        let robot = Robot::new(server.webhook_url()).unwrap();
        robot.send(&Text::new("before")).await.unwrap();

        let mut subscription = server.subscribe();
        assert!(
            subscription.try_next().is_none(),
            "earlier requests are not replayed"
        );
        robot.send(&Text::new("one")).await.unwrap();
        robot.send(&Text::new("two")).await.unwrap();
        let body = |s: &mut super::Subscription| s.try_next().unwrap().body_text();
        assert!(body(&mut subscription).contains("\"one\""));
        assert!(body(&mut subscription).contains("\"two\""));
        assert!(subscription.try_next().is_none());

        // A reset forgets requests; the subscriber goes on with the next ones.
        robot.send(&Text::new("forgotten")).await.unwrap();
        server.reset();
        robot.send(&Text::new("after reset")).await.unwrap();
        assert!(body(&mut subscription).contains("after reset"));

        // `next` waits for a request, and ends once the server has stopped.
        let waiting = tokio::spawn(async move {
            let first = subscription.next().await.map(|r| r.body_text());
            (first, subscription.next().await.is_none())
        });
        robot.send(&Text::new("awaited")).await.unwrap();
        server.shutdown().await;
        let (first, ended) = waiting.await.unwrap();
        assert!(first.unwrap().contains("awaited"));
        assert!(ended);
    }
}
