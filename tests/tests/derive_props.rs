//! Whatever a field holds, a derived message keeps its structure: a heading, one
//! `**Label**: value` paragraph per field, and the mentions paragraph. Data in a non-raw
//! field can never add a link, image, heading, list, quote, code, HTML, emphasis or a
//! mention, and it still reads as it was.

use dingbot::{DingMessage, Message};
use proptest::prelude::*;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} for {customer}")]
struct OrderFailed {
    id: u64,
    customer: String,
    reason: Option<String>,
    note: String,
    #[ding(at_mobiles)]
    oncall: Vec<String>,
}

#[derive(DingMessage)]
#[ding(markdown, title = "Ticket", body = "Ticket from {customer}: {note}")]
struct Ticket {
    customer: String,
    note: String,
}

fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[x](https://evil.example)".to_string()),
        Just("![](https://evil.example/p.png)".to_string()),
        Just("\n# heading\n".to_string()),
        Just("\n- item\n".to_string()),
        Just("\n1. item\n".to_string()),
        Just("\n> quote\n".to_string()),
        Just("\n\n    code\n".to_string()),
        Just("```".to_string()),
        Just("<b>html</b>".to_string()),
        Just("**bold** _it_ ~~s~~".to_string()),
        Just("@13800000000".to_string()),
        Just("@all".to_string()),
        Just("\n---\n".to_string()),
        Just("\n===\n".to_string()),
        Just("| a | b |\n|---|---|".to_string()),
        Just("&amp; \\".to_string()),
        Just("    ".to_string()),
        Just(" # h".to_string()),
        Just("\t- i".to_string()),
        "[a-z 0-9]{0,8}",
        "[\\u{4e00}-\\u{4e20}]{1,4}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}')
        .collect()
}

/// Checks the body's structure and returns the text of each paragraph.
fn structure(md: &str) -> Result<(String, Vec<String>), TestCaseError> {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut heading = String::new();
    let mut paragraphs = Vec::new();
    let mut current: Option<String> = None;
    let mut in_heading = false;
    let mut seen_heading = false;
    for event in Parser::new_ext(md, opts) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H4,
                ..
            }) if !seen_heading => {
                in_heading = true;
                seen_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::Paragraph) => current = Some(String::new()),
            Event::End(TagEnd::Paragraph) => paragraphs.push(current.take().unwrap_or_default()),
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => {
                // Only a label may be bold, at the start of its paragraph.
                let ok = current
                    .as_deref()
                    .is_some_and(|c| c.is_empty() || !c.contains(':'));
                prop_assert!(ok, "bold outside a label in {md:?}");
            }
            Event::Text(t) => {
                if in_heading {
                    heading.push_str(&t);
                } else if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = current.as_mut() {
                    c.push('\n');
                }
            }
            other => return Err(TestCaseError::fail(format!("{other:?} in {md:?}"))),
        }
    }
    Ok((heading, paragraphs))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn fields_cannot_inject(customer in hostile(), reason in prop::option::of(hostile()), note in hostile()) {
        let event = OrderFailed {
            id: 42,
            customer: customer.clone(),
            reason: reason.clone(),
            note: note.clone(),
            oncall: vec!["13900000000".into()],
        };
        let msg = event.to_message();
        let Message::Markdown(md) = &msg else { panic!("markdown expected") };
        let (heading, paragraphs) = structure(md.text())?;

        prop_assert_eq!(squash(&heading), squash(&format!("Order 42 for {customer}")));
        // `customer` is in the title, so it has no line of its own.
        let mut expected: Vec<(&str, &str)> = Vec::new();
        if let Some(r) = &reason {
            expected.push(("Reason", r));
        }
        expected.push(("Note", &note));
        // Field paragraphs (empty values may leave a bare label), then the mentions.
        prop_assert_eq!(paragraphs.len(), expected.len() + 1, "{:?}", md.text());
        for ((label, value), para) in expected.iter().zip(&paragraphs) {
            prop_assert_eq!(squash(para), squash(&format!("{label}: {value}")), "{:?}", md.text());
        }
        prop_assert_eq!(paragraphs.last().map(String::as_str), Some("@13900000000"));

        // The only live mention is the on-call engineer's.
        let live: Vec<usize> = md.text().match_indices('@').map(|(i, _)| i).filter(|&i| !md.text()[i + 1..].starts_with('\u{200B}')).collect();
        prop_assert_eq!(live.len(), 1, "{:?}", md.text());
        prop_assert_eq!(md.at().get_mobiles(), ["13900000000".to_string()]);
        // The title (shown in notifications) is plain text, not markdown.
        prop_assert_eq!(md.title(), format!("Order 42 for {customer}"));
    }

    #[test]
    fn template_values_cannot_inject(customer in hostile(), note in hostile()) {
        let msg = Ticket { customer: customer.clone(), note: note.clone() }.to_message();
        let Message::Markdown(md) = &msg else { panic!("markdown expected") };
        let (heading, paragraphs) = structure(md.text())?;
        prop_assert!(heading.is_empty(), "a body template has no heading: {:?}", md.text());
        let all: String = paragraphs.concat();
        prop_assert_eq!(squash(&all), squash(&format!("Ticket from {customer}: {note}")), "{:?}", md.text());
        let live_mention = md.text().match_indices('@').any(|(i, _)| !md.text()[i + 1..].starts_with('\u{200B}'));
        prop_assert!(!live_mention, "a live mention in {:?}", md.text());
    }
}
