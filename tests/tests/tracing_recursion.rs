//! The layer as the global subscriber, with deliveries failing: what dingbot logs
//! about the failures (on the worker's threads, under its own targets) never becomes a
//! message, so there is no loop; the failure is reported once, to the callback.

mod emulator;

use std::sync::{Arc, Mutex};

use dingbot::mock::{Fault, MockServer};
use tracing_subscriber::prelude::*;

#[test]
fn a_failing_delivery_does_not_loop() {
    let (_clock, server, robot) = emulator::pair_on_thread(MockServer::builder(), |robot| robot);
    // Refused for good (not retried): the digest logs an error for each.
    server.inject(Fault::Errcode(310000, "sign not match".into()), 3);
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
