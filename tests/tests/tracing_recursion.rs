//! The layer as the global subscriber, with deliveries failing: what dingbot logs
//! about the failures (on the worker's threads, under its own targets) never becomes a
//! message, so there is no loop; the failure is reported once, to the callback.

use std::sync::{Arc, Mutex};

use dingbot::Robot;
use dingbot::clock::Clock;
use dingbot::mock::{Fault, MockServer};
use tracing_subscriber::prelude::*;

#[test]
fn a_failing_delivery_does_not_loop() {
    let clock = Clock::manual();
    let server = MockServer::builder()
        .clock(clock.clone())
        .start_blocking()
        .unwrap();
    // Refused for good (not retried): the digest logs an error for each.
    server.inject(Fault::Errcode(310000, "sign not match".into()), 3);
    let robot = Robot::builder(server.webhook_url())
        .clock(clock)
        .build()
        .unwrap();
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&failures);
    let (layer, guard) = dingbot::tracing::builder(robot)
        .on_failure(move |what| {
            // Logged from the callback, on the worker thread: ignored too.
            tracing::error!(what, "delivery failure seen");
            seen.lock().unwrap().push(what.to_owned());
        })
        .build();
    tracing_subscriber::registry().with(layer).init();

    for i in 0..3 {
        tracing::error!("order {i} failed");
    }
    let stats = guard.shutdown();
    assert_eq!(
        stats.events, 3,
        "nothing but the three events was taken: {stats:?}"
    );
    assert_eq!(stats.digest.failed, 3, "{stats:?}");
    assert!(
        server.requests().len() <= 3,
        "{} requests",
        server.requests().len()
    );
    assert!(server.received().is_empty());
    assert_eq!(failures.lock().unwrap().len(), 1, "reported once");
}
