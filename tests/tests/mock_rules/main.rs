//! The emulator enforces DingTalk's rules, in DingTalk's order, with DingTalk's errcodes
//! and errmsgs: driven with raw HTTP.

#[path = "../mock_util/mod.rs"]
mod mock_util;

mod accepted;
mod access;
mod body;
mod errmsgs;
mod keywords;
mod order;
mod signing;

use std::net::IpAddr;

const SECRET: &str = "SECb1f0c9d3e2a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918";
const HOUR_MS: i64 = 60 * 60 * 1000;
const MINUTE_MS: i64 = 60 * 1000;

fn localhost() -> IpAddr {
    "127.0.0.1".parse().unwrap()
}

/// A text body of exactly `size` bytes.
fn text_body_of_size(size: usize) -> Vec<u8> {
    let empty = br#"{"msgtype":"text","text":{"content":""}}"#.len();
    let content = "x".repeat(size - empty);
    let body = format!(r#"{{"msgtype":"text","text":{{"content":"{content}"}}}}"#);
    assert_eq!(body.len(), size);
    body.into_bytes()
}
