//! Realistic events: an alert enum with five kinds of variant, generic wrappers, text
//! messages, images, button lists and templates, compared with DingTalk's exact JSON.

use std::fmt::Display;

use dingbot::{Button, DingMessage, Payload};
use serde_json::json;

fn json(msg: &impl DingMessage) -> serde_json::Value {
    serde_json::to_value(msg.to_message()).expect("serializes")
}

#[derive(DingMessage)]
enum Alert {
    /// A unit variant: the title is the whole message.
    #[ding(title = "Heartbeat missed")]
    HeartbeatMissed,

    /// A tuple variant with `{0}` templates.
    #[ding(title = "{0} is down", body = "**{0}** stopped answering at {1}.")]
    HostDown(String, String),

    /// A struct variant mentioning the on-call engineers.
    #[ding(title = "Disk almost full on {host}")]
    DiskFull {
        host: String,
        #[ding(label = "Used")]
        percent: u8,
        mount: Option<String>,
        #[ding(at_mobiles)]
        oncall: Vec<&'static str>,
    },

    /// A text message that may mention everyone.
    #[ding(text, title = "Certificate for {domain} expires in {days} days")]
    CertExpiring {
        domain: String,
        days: u32,
        issuer: String,
        #[ding(at_all)]
        urgent: bool,
    },

    /// An action card: a chart and a whole-card button.
    #[ding(action_card, title = "Error rate {rate:.1}% on {service}", hide_avatar)]
    ErrorRate {
        service: String,
        rate: f64,
        #[ding(image)]
        chart: String,
        #[ding(single_button = "Open dashboard")]
        dashboard: String,
    },
}

#[test]
fn unit_variant() {
    assert_eq!(
        json(&Alert::HeartbeatMissed),
        json!({
            "msgtype": "markdown",
            "markdown": { "title": "Heartbeat missed", "text": "#### Heartbeat missed" }
        })
    );
}

#[test]
fn tuple_variant_with_templates() {
    let alert = Alert::HostDown("db-1 *primary*".into(), "10:42".into());
    assert_eq!(
        json(&alert),
        json!({
            "msgtype": "markdown",
            "markdown": {
                "title": "db-1 *primary* is down",
                "text": "**db-1 \\*primary\\*** stopped answering at 10:42."
            }
        })
    );
}

#[test]
fn struct_variant_with_mentions() {
    let alert = Alert::DiskFull {
        host: "db-1".into(),
        percent: 95,
        mount: None,
        oncall: vec!["13800000000", " 13900000000 ", "13800000000"],
    };
    let expected = json!({
        "msgtype": "markdown",
        "markdown": {
            "title": "Disk almost full on db-1",
            "text": "#### Disk almost full on db-1\n\n**Used**: 95\n\n@13800000000 @13900000000"
        },
        "at": { "atMobiles": ["13800000000", "13900000000"], "isAtAll": false }
    });
    assert_eq!(json(&alert), expected);

    // Every mention is already in the body, so sending adds nothing.
    let payload = Payload::new(&alert).expect("valid");
    let sent: serde_json::Value = serde_json::from_slice(payload.body()).expect("json");
    assert_eq!(sent["markdown"], expected["markdown"]);
}

#[test]
fn text_variant() {
    let alert = Alert::CertExpiring {
        domain: "example.com".into(),
        days: 7,
        issuer: "Let's Encrypt".into(),
        urgent: true,
    };
    assert_eq!(
        json(&alert),
        json!({
            "msgtype": "text",
            "text": {
                "content": "Certificate for example.com expires in 7 days\nIssuer: Let's Encrypt"
            },
            "at": { "isAtAll": true }
        })
    );
    let calm = Alert::CertExpiring {
        domain: "example.com".into(),
        days: 30,
        issuer: "*ZeroSSL*".into(),
        urgent: false,
    };
    assert_eq!(
        json(&calm)["text"]["content"],
        "Certificate for example.com expires in 30 days\nIssuer: *ZeroSSL*"
    );
    assert!(json(&calm).get("at").is_none());
}

#[test]
fn action_card_variant() {
    let alert = Alert::ErrorRate {
        service: "checkout".into(),
        rate: 12.345,
        chart: "https://grafana.example.com/render/errors.png?from=now-1h".into(),
        dashboard: "https://grafana.example.com/d/errors".into(),
    };
    assert_eq!(
        json(&alert),
        json!({
            "msgtype": "actionCard",
            "actionCard": {
                "title": "Error rate 12.3% on checkout",
                "text": "#### Error rate 12.3% on checkout\n\n\
                         ![](https://grafana.example.com/render/errors.png?from=now-1h)",
                "hideAvatar": "1",
                "singleTitle": "Open dashboard",
                "singleURL": "https://grafana.example.com/d/errors"
            }
        })
    );
}

/// A generic wrapper: `T` needs `Display` because `value` is shown, and `U` gets the
/// bound inferred although the struct does not declare it.
#[derive(DingMessage)]
#[ding(title = "{metric} changed")]
struct Changed<'a, T: Display, U> {
    metric: &'a str,
    #[ding(label = "Before")]
    old: T,
    #[ding(label = "After")]
    new: Option<U>,
    #[ding(at_user_ids)]
    owners: Vec<&'a str>,
}

#[test]
fn generic_wrapper() {
    let event = Changed {
        metric: "p99 latency",
        old: 120_u32,
        new: Some("340 ms"),
        owners: vec!["manager7"],
    };
    assert_eq!(
        json(&event),
        json!({
            "msgtype": "markdown",
            "markdown": {
                "title": "p99 latency changed",
                "text": "#### p99 latency changed\n\n**Before**: 120\n\n**After**: 340 ms\n\n@manager7"
            },
            "at": { "atUserIds": ["manager7"], "isAtAll": false }
        })
    );
    let gone = Changed::<f64, String> {
        metric: "queue depth",
        old: 1.5,
        new: None,
        owners: Vec::new(),
    };
    assert_eq!(
        json(&gone)["markdown"]["text"],
        "#### queue depth changed\n\n**Before**: 1.5"
    );
}

/// Generic mentions and buttons: bounds on the helper traits are inferred too.
#[derive(DingMessage)]
#[ding(action_card, title = "Review {title}", orientation = "vertical")]
struct Review<B> {
    title: String,
    #[ding(buttons)]
    actions: B,
}

#[test]
fn generic_buttons() {
    let review = Review {
        title: "PR #12".into(),
        actions: vec![
            ("Approve", "https://git.example.com/pr/12/approve"),
            ("Comment", "https://git.example.com/pr/12"),
        ],
    };
    assert_eq!(
        json(&review),
        json!({
            "msgtype": "actionCard",
            "actionCard": {
                "title": "Review PR #12",
                "text": "#### Review PR #12",
                "btnOrientation": "0",
                "btns": [
                    { "title": "Approve", "actionURL": "https://git.example.com/pr/12/approve" },
                    { "title": "Comment", "actionURL": "https://git.example.com/pr/12" }
                ]
            }
        })
    );
    let single = Review {
        title: "PR #13".into(),
        actions: Some(Button::new("Open", "https://git.example.com/pr/13")),
    };
    assert_eq!(json(&single)["actionCard"]["btns"][0]["title"], "Open");
}

/// A refund request: fixed buttons, a list of extra ones, an optional one, a field
/// title, a trusted markdown field and a body template.
#[derive(DingMessage)]
#[ding(
    action_card,
    body = "{customer} asks for **{amount:.2} CNY** back.\n\n{note}\n\n{receipt}"
)]
struct RefundRequest {
    #[ding(title)]
    subject: String,
    customer: String,
    amount: f64,
    #[ding(raw)]
    note: String,
    #[ding(image)]
    receipt: String,
    #[ding(button = "Approve")]
    approve: String,
    #[ding(buttons)]
    more: Vec<Button>,
    #[ding(button = "Escalate")]
    escalate: Option<String>,
}

#[test]
fn body_template_and_buttons() {
    let request = RefundRequest {
        subject: "Refund #88".into(),
        customer: "ACME_Corp".into(),
        amount: 99.5,
        note: "> Paid twice, see *ticket 9*".into(),
        receipt: "https://files.example.com/receipt 88.png".into(),
        approve: "https://crm.example.com/refunds/88/approve".into(),
        more: vec![Button::new(
            "Reject",
            "https://crm.example.com/refunds/88/reject",
        )],
        escalate: None,
    };
    assert_eq!(
        json(&request),
        json!({
            "msgtype": "actionCard",
            "actionCard": {
                "title": "Refund #88",
                "text": "ACME\\_Corp asks for **99.50 CNY** back.\n\n\
                         > Paid twice, see *ticket 9*\n\n\
                         ![](https://files.example.com/receipt%2088.png)",
                "btns": [
                    { "title": "Approve", "actionURL": "https://crm.example.com/refunds/88/approve" },
                    { "title": "Reject", "actionURL": "https://crm.example.com/refunds/88/reject" }
                ]
            }
        })
    );
    let escalated = RefundRequest {
        escalate: Some("https://crm.example.com/refunds/88/escalate".into()),
        ..request
    };
    let btns = &json(&escalated)["actionCard"]["btns"];
    assert_eq!(btns[2]["title"], "Escalate");
}

/// Text messages: a body template, user-id mentions, a message-wide `at_all`.
#[derive(DingMessage)]
#[ding(
    text,
    at_all,
    body = "Build {build} of {branch} is {{red}}: {failed} tests failed"
)]
struct BuildRed {
    build: u32,
    branch: &'static str,
    failed: usize,
    #[ding(at_user_ids)]
    authors: [&'static str; 2],
}

#[test]
fn text_body_template() {
    let red = BuildRed {
        build: 512,
        branch: "main",
        failed: 3,
        authors: ["alice", "bob"],
    };
    assert_eq!(
        json(&red),
        json!({
            "msgtype": "text",
            "text": { "content": "Build 512 of main is {red}: 3 tests failed\n@alice @bob" },
            "at": { "atUserIds": ["alice", "bob"], "isAtAll": true }
        })
    );
}

/// Labels with markdown in them are escaped, like `markdown::Writer::field` does.
#[derive(DingMessage)]
#[ding(title = "Quarter")]
struct Quarter {
    #[ding(label = "P&L *net*")]
    pnl: i64,
    #[ding(label = "1. Growth")]
    growth: String,
    #[ding(label = "# of deals")]
    deals: u32,
    r#type: &'static str,
}

#[test]
fn labels_match_the_writer() {
    let q = Quarter {
        pnl: 3,
        growth: "4%".into(),
        deals: 12,
        r#type: "fiscal",
    };
    let expected = dingbot::markdown::Writer::new()
        .heading(4, "Quarter")
        .field("P&L *net*", "3")
        .field("1. Growth", "4%")
        .field("# of deals", "12")
        .field("Type", "fiscal")
        .finish();
    assert_eq!(json(&q)["markdown"]["text"], expected);

    // A value continues its line, so what only matters at the start of a line (`-3`,
    // `1.5`, `#1`) is not escaped, unlike in `Writer::field`.
    let loss = Quarter { pnl: -3, ..q };
    assert_eq!(
        json(&loss)["markdown"]["text"],
        expected.replace("**: 3", "**: -3")
    );
}

mod renamed {
    //! `crate = "..."` for a re-exported or renamed dingbot.
    use ::dingbot as bot;

    #[derive(bot::DingMessage)]
    #[ding(crate = "bot", title = "Renamed")]
    pub struct Renamed {
        pub answer: u8,
    }
}

#[test]
fn renamed_crate() {
    assert_eq!(
        json(&renamed::Renamed { answer: 42 })["markdown"]["text"],
        "#### Renamed\n\n**Answer**: 42"
    );
}

/// A title field, a title-template field shown again thanks to its label, and Debug.
#[derive(DingMessage)]
#[ding(title = "Job {job} finished")]
struct JobDone {
    #[ding(label = "Job")]
    job: String,
    #[ding(label = "Exit")]
    status: i32,
    #[ding(skip)]
    _secret: String,
}

#[derive(DingMessage)]
#[ding(body = "Queue {queue:?} has {depth:>5} items{{!}}")]
struct QueueDepth {
    #[ding(title)]
    queue: String,
    depth: usize,
}

#[test]
fn labels_show_title_fields_and_specs_apply() {
    let done = JobDone {
        job: "backup".into(),
        status: 0,
        _secret: "hunter2".into(),
    };
    assert_eq!(
        json(&done)["markdown"]["text"],
        "#### Job backup finished\n\n**Job**: backup\n\n**Exit**: 0"
    );
    let q = QueueDepth {
        queue: "mail".into(),
        depth: 42,
    };
    assert_eq!(
        json(&q)["markdown"],
        json!({ "title": "mail", "text": "Queue \"mail\" has    42 items{!}" })
    );
}
