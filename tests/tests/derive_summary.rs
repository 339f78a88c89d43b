//! `#[ding(summary = "...")]`: the one line that stands for a message where many are
//! listed, as plain text, whatever its values hold.

use std::fmt;

use dingbot::{DingMessage, Message};

fn cents(amount: &u64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "¥{}.{:02}", amount / 100, amount % 100)
}

#[derive(DingMessage)]
#[ding(
    markdown,
    title = "Order {id} failed",
    summary = "{id} {customer}: {amount} ({reason})"
)]
struct OrderFailed {
    id: String,
    customer: String,
    #[ding(with = cents)]
    amount: u64,
    reason: Option<String>,
    #[ding(at_mobiles)]
    oncall: Vec<String>,
}

fn order(customer: &str, reason: Option<&str>) -> OrderFailed {
    OrderFailed {
        id: "SO-2026/7".into(),
        customer: customer.into(),
        amount: 12_345,
        reason: reason.map(Into::into),
        oncall: vec!["13800000000".into()],
    }
}

#[test]
fn a_struct_summary_is_its_template_as_plain_text() {
    let event = order(
        "ACME **Corp** [x](https://evil.example)",
        Some("card declined"),
    );
    assert_eq!(
        event.summary().as_deref(),
        Some("SO-2026/7 ACME **Corp** [x](https://evil.example): ¥123.45 (card declined)"),
        "nothing escaped: whoever shows a summary escapes it"
    );
    // The message itself is unchanged by the key.
    let Message::Markdown(markdown) = event.to_message() else {
        panic!("a markdown message");
    };
    assert_eq!(markdown.title(), "Order SO-2026/7 failed");
}

#[test]
fn line_breaks_in_values_become_spaces() {
    let event = order("ACME\nCorp", Some("card\r\ndeclined\u{2028} twice\n"));
    assert_eq!(
        event.summary().as_deref(),
        Some("SO-2026/7 ACME Corp: ¥123.45 (card declined twice )")
    );
    let summary = order("\n\n", None).summary().expect("a summary");
    assert!(!summary.contains(['\n', '\r']), "{summary:?}");
    assert_eq!(summary, "SO-2026/7 : ¥123.45 ()");
}

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed")]
struct WithoutSummary {
    id: u64,
    reason: String,
}

#[test]
fn without_the_key_the_title_is_the_summary() {
    let event = WithoutSummary {
        id: 42,
        reason: "card declined".into(),
    };
    assert_eq!(event.summary().as_deref(), Some("Order 42 failed"));
}

#[derive(DingMessage)]
enum Deploy {
    #[ding(
        markdown,
        title = "Deploy {service} started",
        summary = "{service} {version:>8}"
    )]
    Started { service: String, version: String },
    #[ding(text, title = "Deploy {0} failed", summary = "{0} failed: {1:?}")]
    Failed(String, #[ding(label = "Error")] String),
    #[ding(markdown, title = "Deploy {service} done")]
    Done { service: String },
}

#[test]
fn enum_variants_have_their_own_summary_or_the_title() {
    let started = Deploy::Started {
        service: "checkout\napi".into(),
        version: "v1.2".into(),
    };
    assert_eq!(started.summary().as_deref(), Some("checkout api v1.2"));
    let failed = Deploy::Failed("checkout".into(), "exit\n1".into());
    // `{:?}` writes the line break as `\n`, so it is not one.
    assert_eq!(
        failed.summary().as_deref(),
        Some(r#"checkout failed: "exit\n1""#)
    );
    let done = Deploy::Done {
        service: "checkout\napi".into(),
    };
    assert_eq!(done.summary().as_deref(), Some("Deploy checkout api done"));
}

#[derive(DingMessage)]
#[ding(text, body = "disk full on {host}", summary = "disk full: {host}")]
struct DiskFull<T> {
    host: T,
}

#[test]
fn a_generic_text_message_with_a_summary() {
    let event = DiskFull { host: "db-1" };
    assert_eq!(event.summary().as_deref(), Some("disk full: db-1"));
    assert_eq!(
        (&event as &dyn DingMessage).summary().as_deref(),
        Some("disk full: db-1")
    );
}
