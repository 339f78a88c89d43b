//! Runnable examples for dingbot live in `examples/`; this library holds what an example
//! and the tests both use.

use dingbot::markdown::{Inline, Writer};
use dingbot::{ActionCard, DingMessage, FeedCard, Link, Markdown, Message, Orientation, Text};

/// A domain event that knows how to show itself in DingTalk.
#[derive(DingMessage)]
#[ding(
    markdown,
    title = "Order {id} failed",
    summary = "Order {id} · {customer}"
)]
pub struct OrderFailed {
    pub id: u64,
    #[ding(label = "Customer")]
    pub customer: String,
    pub reason: Option<String>,
    #[ding(at_mobiles)]
    pub oncall: Vec<String>,
}

/// The quickstart's messages: one of each type, and a derived domain event. The
/// emulator's preview test renders these same messages for the README's screenshot.
pub fn quickstart_messages() -> Vec<Message> {
    let customer = "ACME *Trading* [Co.]"; // untrusted data: escaped by the writer
    let body = Writer::new()
        .heading(4, "Order 1842 failed")
        .field("Customer", customer)
        .field("Reason", "card declined (code 51)")
        .paragraph(Inline::link(
            "Open the order",
            "https://crm.example.com/orders/1842",
        ))
        .finish();

    let messages: Vec<Message> = vec![
        // The mention notifies: "@13800000000" is written into the body when it is sent.
        Text::new("dingbot quickstart: a text message")
            .at_mobiles(["13800000000"])
            .into(),
        Markdown::new("Order 1842 failed", body).into(),
        Link::new(
            "dingbot",
            "A DingTalk robot toolkit for Rust",
            "https://docs.rs/dingbot",
        )
        .into(),
        ActionCard::new(
            "Deploy api v2.4?",
            "#### Deploy api v2.4?\n\nRequested by **alice**",
        )
        .button("Approve", "https://ci.example.com/deploys/17/approve")
        .button("Reject", "https://ci.example.com/deploys/17/reject")
        .orientation(Orientation::Horizontal)
        .into(),
        FeedCard::new()
            .link(
                "Release notes",
                "https://example.com/notes",
                "https://example.com/notes.png",
            )
            .link(
                "Roadmap",
                "https://example.com/roadmap",
                "https://example.com/roadmap.png",
            )
            .into(),
    ];

    // And a derived domain event, which becomes a markdown message.
    let event = OrderFailed {
        id: 1843,
        customer: "Globex <script>".into(),
        reason: Some("address **unverified**".into()),
        oncall: vec!["13900000000".into()],
    };
    messages.into_iter().chain([event.to_message()]).collect()
}
