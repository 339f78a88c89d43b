//! What the derive writes (3 to 5): its default body, `body` templates and an action
//! card's body, and the cases once reported.

use dingbot::DingMessage;
use dingbot::markdown::Writer;
use proptest::prelude::*;

use crate::hostile::{
    body, config, hostile, hostile_url, no_live_mention, same_structure, structure,
};

// ----- 3. the derive's default body -----

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id}")]
struct OrderFailed {
    id: String,
    customer: String,
    #[ding(label = "Why it failed")]
    reason: Option<String>,
    note: String,
    retry: Option<String>,
}

#[derive(DingMessage)]
#[ding(markdown)]
struct Feedback {
    #[ding(title)]
    subject: String,
    comment: String,
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn derived_default_body(
        id in hostile(),
        customer in hostile(),
        reason in prop::option::of(hostile()),
        note in hostile(),
        retry in prop::option::of(hostile()),
    ) {
        let md = body(&OrderFailed {
            id: id.clone(),
            customer: customer.clone(),
            reason: reason.clone(),
            note: note.clone(),
            retry: retry.clone(),
        })?;
        same_structure("default body", &md, |b| {
            body(&OrderFailed {
                id: b.of(&id),
                customer: b.of(&customer),
                reason: b.of_opt(&reason),
                note: b.of(&note),
                retry: b.of_opt(&retry),
            })
        })?;
    }

    #[test]
    fn derived_title_field(subject in hostile(), comment in hostile()) {
        let md = body(&Feedback { subject: subject.clone(), comment: comment.clone() })?;
        same_structure("title field", &md, |b| {
            body(&Feedback { subject: b.of(&subject), comment: b.of(&comment) })
        })?;
    }
}

// ----- 4. body templates -----

#[derive(DingMessage)]
#[ding(title = "T", body = "Status: {a}{b}")]
struct StatusAb {
    a: String,
    b: String,
}

#[derive(DingMessage)]
#[ding(title = "T", body = "{a}{b}{c}")]
struct Adjacent {
    a: String,
    b: String,
    c: Option<String>,
}

#[derive(DingMessage)]
#[ding(title = "T", body = "- {a}\n- {b}")]
struct Items {
    a: String,
    b: String,
}

#[derive(DingMessage)]
#[ding(title = "T", body = "> {a}\n\n{b}")]
struct Quoted {
    a: String,
    b: String,
}

#[derive(DingMessage)]
#[ding(title = "T", body = "1{a}")]
struct AfterDigit {
    a: String,
}

#[derive(DingMessage)]
#[ding(title = "T", body = "Line\r{a}")]
struct AfterCr {
    a: String,
}

#[derive(DingMessage)]
#[ding(title = "T", body = "**{a}**: {b}")]
struct BoldLabel {
    a: String,
    b: String,
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn template_status_then_adjacent_values(a in hostile(), b in hostile()) {
        let md = body(&StatusAb { a: a.clone(), b: b.clone() })?;
        same_structure("Status: {a}{b}", &md, |x| body(&StatusAb { a: x.of(&a), b: x.of(&b) }))?;
    }

    #[test]
    fn template_only_adjacent_values(
        a in hostile(),
        b in hostile(),
        c in prop::option::of(hostile()),
    ) {
        let md = body(&Adjacent { a: a.clone(), b: b.clone(), c: c.clone() })?;
        same_structure("{a}{b}{c}", &md, |x| {
            body(&Adjacent { a: x.of(&a), b: x.of(&b), c: x.of_opt(&c) })
        })?;
    }

    // Once an injection: a value that started with a line break left the template's
    // line holding only its marker (`a = "\nInjected"` made a setext heading).
    #[test]
    fn template_list_items(a in hostile(), b in hostile()) {
        let md = body(&Items { a: a.clone(), b: b.clone() })?;
        same_structure("- {a}\\n- {b}", &md, |x| body(&Items { a: x.of(&a), b: x.of(&b) }))?;
    }

    // Once an injection: a value that started with a line break ended the quote.
    #[test]
    fn template_quote_then_paragraph(a in hostile(), b in hostile()) {
        let md = body(&Quoted { a: a.clone(), b: b.clone() })?;
        same_structure("> {a}\\n\\n{b}", &md, |x| body(&Quoted { a: x.of(&a), b: x.of(&b) }))?;
    }

    #[test]
    fn template_after_a_digit(a in hostile()) {
        let md = body(&AfterDigit { a: a.clone() })?;
        same_structure("1{a}", &md, |x| body(&AfterDigit { a: x.of(&a) }))?;
    }

    // Once an injection: `a = "\nx"` wrote a blank line after the template's `\r`.
    #[test]
    fn template_after_a_lone_cr(a in hostile()) {
        let md = body(&AfterCr { a: a.clone() })?;
        same_structure("Line\\r{a}", &md, |x| body(&AfterCr { a: x.of(&a) }))?;
    }

    // Once an injection: whitespace at a value's edge unbalanced the template's `**`.
    #[test]
    fn template_inside_bold(a in hostile(), b in hostile()) {
        let md = body(&BoldLabel { a: a.clone(), b: b.clone() })?;
        same_structure("**{a}**: {b}", &md, |x| body(&BoldLabel { a: x.of(&a), b: x.of(&b) }))?;
    }
}

// ----- 5. action cards -----

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}")]
struct DeployApproval {
    service: String,
    version: String,
    #[ding(label = "Requested by")]
    requester: String,
    reason: Option<String>,
    #[ding(button = "Approve")]
    approve_url: String,
    #[ding(button = "Reject")]
    reject_url: String,
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn action_card_body(
        service in hostile(),
        version in hostile(),
        requester in hostile(),
        reason in prop::option::of(hostile()),
        approve_url in hostile_url(),
    ) {
        let card = |service: String, version: String, requester: String, reason: Option<String>| {
            DeployApproval {
                service,
                version,
                requester,
                reason,
                approve_url: approve_url.clone(),
                reject_url: "https://ci.example.com/deploys/17/reject".to_owned(),
            }
        };
        let md = body(&card(service.clone(), version.clone(), requester.clone(), reason.clone()))?;
        same_structure("action card", &md, |b| {
            body(&card(b.of(&service), b.of(&version), b.of(&requester), b.of_opt(&reason)))
        })?;
    }
}

// ----- the reported cases -----

/// The structure of a body that is one paragraph of text.
fn one_paragraph() -> Vec<String> {
    vec!["Paragraph".to_owned(), "/Paragraph".to_owned()]
}

fn body_of(event: &impl DingMessage) -> String {
    event
        .to_message()
        .body()
        .expect("a markdown message has a body")
        .to_owned()
}

#[test]
fn a_lone_cr_in_one_value_cannot_start_a_block_in_the_next() {
    for b in ["# Injected", "- item", "1) one", "- [ ] task", "   # x"] {
        let md = body_of(&StatusAb {
            a: "ok\r\r".into(),
            b: b.into(),
        });
        assert_eq!(structure(&md), one_paragraph(), "{b:?} gave {md:?}");
        no_live_mention(&md).expect("no mention");
    }
}

#[test]
fn a_lone_cr_in_the_template_starts_a_line() {
    for a in [
        "# Injected",
        "- item",
        "1) one",
        "- [ ] task",
        "   # x",
        "    code",
    ] {
        let md = body_of(&AfterCr { a: a.into() });
        assert_eq!(structure(&md), one_paragraph(), "{a:?} gave {md:?}");
    }
}

#[test]
fn a_lone_cr_keeps_quotes_lists_and_headings_whole() {
    let quote = Writer::new().quote("a\r\rb").finish();
    assert_eq!(
        structure(&quote),
        structure(&Writer::new().quote("x").finish()),
        "{quote:?}"
    );

    let list = Writer::new().list(["a\r\rb", "c"]).finish();
    assert_eq!(
        structure(&list),
        structure(&Writer::new().list(["x", "x"]).finish()),
        "{list:?}"
    );

    let heading = Writer::new().heading(4, "a\rb").finish();
    assert_eq!(
        structure(&heading),
        structure(&Writer::new().heading(4, "x").finish()),
        "{heading:?}"
    );
}
