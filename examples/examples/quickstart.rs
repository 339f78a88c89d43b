//! The quickstart: one message of each type, signed.
//!
//! With `DINGTALK_WEBHOOK` (and optionally `DINGTALK_SECRET`) set, it sends to your real
//! group. Without them it starts the built-in DingTalk emulator and sends there, so it
//! works offline:
//!
//! ```text
//! cargo run -p dingbot-examples --example quickstart
//! ```

use dingbot::markdown::{Inline, Writer};
use dingbot::mock::MockServer;
use dingbot::{
    ActionCard, DingMessage, Error, FeedCard, Link, Markdown, Message, Orientation, Robot, Text,
};

/// A domain event that knows how to show itself in DingTalk.
#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
    #[ding(label = "Customer")]
    customer: String,
    reason: Option<String>,
    #[ding(at_mobiles)]
    oncall: Vec<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (robot, emulator) = match Robot::from_env() {
        Ok(robot) => {
            println!(
                "Sending to the DingTalk group at {}",
                robot.webhook().endpoint()
            );
            (robot, None)
        }
        Err(Error::MissingEnv { .. }) => {
            let server = MockServer::builder()
                .secret("SECquickstart0123456789")
                .start()
                .await?;
            println!(
                "DINGTALK_WEBHOOK is not set: sending to the built-in DingTalk emulator at {}",
                server.addr()
            );
            let robot = Robot::builder(server.webhook_url())
                .secret("SECquickstart0123456789")
                .build()?;
            (robot, Some(server))
        }
        Err(other) => return Err(other.into()),
    };
    println!("Every request is signed: {}\n", robot.webhook().is_signed());

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
        Markdown::new("Order 1842 failed", body.clone()).into(),
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
    let messages: Vec<Message> = messages.into_iter().chain([event.to_message()]).collect();

    for msg in &messages {
        match robot.send(msg).await {
            Ok(sent) => println!(
                "sent {:<10} -> ok (msgUuid {}, {} attempt(s))",
                msg.msgtype(),
                sent.msg_uuid,
                sent.attempts
            ),
            Err(err) => println!("sent {:<10} -> error: {err}", msg.msgtype()),
        }
    }

    if let Some(server) = emulator {
        // A robot with the wrong secret: DingTalk answers HTTP 200 with errcode 310000,
        // which dingbot reports as the error it is.
        let wrong = Robot::builder(server.webhook_url())
            .secret("SECwrong")
            .build()?;
        match wrong.send(&Text::new("never shown")).await {
            Ok(_) => println!("\nunexpected: a wrong signature was accepted"),
            Err(err) => println!("\nwith a wrong secret   -> error: {err}"),
        }

        println!("\nThe group received {} messages:", server.received().len());
        for msg in server.received() {
            println!("  {}", serde_json::to_string(&msg)?);
        }
    }
    Ok(())
}
