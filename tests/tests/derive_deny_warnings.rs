//! Generated code compiles warning-free in a crate that denies every warning, for every
//! kind of input: markdown, text and action-card structs, enums, generics, tuple structs.
#![deny(warnings)]
#![deny(missing_docs, unused_qualifications, unused_results, trivial_casts)]

use std::fmt::Display;

use dingbot::{DingMessage, Message};

/// An order event.
#[derive(DingMessage)]
#[ding(title = "Order {id} failed", summary = "{id}: {reason}")]
pub struct OrderFailed {
    /// Id.
    pub id: u64,
    /// Why.
    pub reason: Option<String>,
    /// Who.
    #[ding(at_mobiles)]
    pub oncall: Vec<String>,
    /// Ignored.
    #[ding(skip)]
    pub trace: Vec<u8>,
}

/// A deploy approval.
#[derive(DingMessage)]
#[ding(
    action_card,
    title = "Deploy {service}",
    orientation = "vertical",
    hide_avatar
)]
pub struct Deploy<'a> {
    /// Service.
    pub service: &'a str,
    /// Approve.
    #[ding(button = "Approve")]
    pub approve: String,
    /// Optional rollback.
    #[ding(button = "Roll back")]
    pub rollback: Option<String>,
}

/// A generic wrapper.
#[derive(DingMessage)]
#[ding(text, title = "{name}: {value}", summary = "{value}")]
pub struct Metric<T: Display, U> {
    /// Name.
    pub name: &'static str,
    /// Value.
    pub value: T,
    /// Not rendered, so no bound is needed.
    #[ding(skip)]
    pub extra: U,
}

/// Alerts.
#[derive(DingMessage)]
pub enum Alert {
    /// Unit.
    #[ding(title = "Heartbeat missed", summary = "heartbeat")]
    Heartbeat,
    /// Tuple.
    #[ding(title = "{0} is down", summary = "down: {0}")]
    Down(String),
    /// Struct.
    #[ding(title = "Disk full on {host}", at_all)]
    Disk {
        /// Host.
        host: String,
    },
}

/// A tuple struct with templates.
#[derive(DingMessage)]
#[ding(markdown, title = "Job {0}", body = "Job **{0}** took {1} s")]
pub struct Job(pub u32, pub f64);

#[test]
fn all_kinds_expand_cleanly() {
    let messages: Vec<Message> = vec![
        OrderFailed {
            id: 1,
            reason: None,
            oncall: vec![],
            trace: vec![],
        }
        .to_message(),
        Deploy {
            service: "api",
            approve: "https://a.example/ok".into(),
            rollback: None,
        }
        .to_message(),
        Metric {
            name: "p99",
            value: 12.5,
            extra: (),
        }
        .to_message(),
        Alert::Heartbeat.to_message(),
        Alert::Down("db-1".into()).to_message(),
        Alert::Disk {
            host: "db-2".into(),
        }
        .to_message(),
        Job(7, 1.5).to_message(),
    ];
    let types: Vec<&str> = messages.iter().map(Message::msgtype).collect();
    assert_eq!(
        types,
        [
            "markdown",
            "actionCard",
            "text",
            "markdown",
            "markdown",
            "markdown",
            "markdown"
        ]
    );
    for msg in &messages {
        msg.validate().unwrap();
    }
    assert_eq!(messages[2].body(), Some("p99: 12.5"));
    assert_eq!(messages[6].body(), Some("Job **7** took 1.5 s"));
}

#[test]
fn summaries_expand_cleanly() {
    let order = OrderFailed {
        id: 1,
        reason: None,
        oncall: vec![],
        trace: vec![],
    };
    assert_eq!(order.summary().as_deref(), Some("1:"));
    let metric = Metric {
        name: "p99",
        value: 12.5,
        extra: (),
    };
    assert_eq!(metric.summary().as_deref(), Some("12.5"));
    assert_eq!(Alert::Heartbeat.summary().as_deref(), Some("heartbeat"));
    assert_eq!(
        Alert::Down("db-1".into()).summary().as_deref(),
        Some("down: db-1")
    );
    let disk = Alert::Disk {
        host: "db-2".into(),
    };
    assert_eq!(disk.summary().as_deref(), Some("Disk full on db-2"));
}
