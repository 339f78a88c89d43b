//! `markdown::escape` makes any text inert: parsed as CommonMark (the dialect DingTalk's
//! renderer follows, with GFM tables, strikethrough and task lists switched on), escaped
//! text is only paragraphs of plain text that read as the original, and it can never
//! mention anyone.

use dingbot::markdown::{Inline, Writer, escape, unescape};
use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The text a markdown string renders to, or the first construct that is not plain text.
fn render_plain(md: &str) -> Result<String, String> {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM;
    let mut out = String::new();
    for event in Parser::new_ext(md, opts) {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => out.push('\n'),
            Event::Text(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            other => return Err(format!("{other:?}")),
        }
    }
    Ok(out)
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}')
        .collect()
}

/// Text that leans on markdown's special characters, line starts and mentions.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("#".to_string()),
        Just("##".to_string()),
        Just("*".to_string()),
        Just("_".to_string()),
        Just("`".to_string()),
        Just("```".to_string()),
        Just("~".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("!".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("|".to_string()),
        Just("&".to_string()),
        Just("&amp;".to_string()),
        Just("&#32;".to_string()),
        Just("\\".to_string()),
        Just("-".to_string()),
        Just("+".to_string()),
        Just("=".to_string()),
        Just("1.".to_string()),
        Just("2)".to_string()),
        Just("@".to_string()),
        Just("@13800000000".to_string()),
        Just("\u{200B}".to_string()),
        Just("https://evil.example".to_string()),
        Just("<a href=x>".to_string()),
        Just("[^1]: note".to_string()),
        Just("[x]: https://evil.example".to_string()),
        Just("- [ ] task".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just(" ".to_string()),
        Just("    ".to_string()),
        Just("\t".to_string()),
        "[a-z0-9]{1,6}",
        "[\\u{4e00}-\\u{4e20}]{1,3}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn check_inert(input: &str) -> Result<(), TestCaseError> {
    let escaped = escape(input);
    prop_assert_eq!(
        unescape(&escaped),
        input,
        "round trip of {:?} via {:?}",
        input,
        escaped
    );
    let rendered = render_plain(&escaped)
        .map_err(|c| TestCaseError::fail(format!("{input:?} -> {escaped:?} renders {c}")))?;
    prop_assert_eq!(
        squash(&rendered),
        squash(input),
        "{:?} -> {:?} reads differently",
        input,
        escaped
    );
    for (i, _) in escaped.match_indices('@') {
        prop_assert!(
            escaped[i + 1..].starts_with('\u{200B}'),
            "live mention in {:?}",
            escaped
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn markdownish_text_is_inert(input in markdownish()) {
        check_inert(&input)?;
    }

    #[test]
    fn any_text_is_inert(input in "\\PC{0,80}") {
        check_inert(&input)?;
    }

    #[test]
    fn writer_fields_keep_their_structure(label in "[a-z ]{1,10}", value in markdownish()) {
        let label = label.trim().to_string();
        prop_assume!(!label.is_empty());
        let md = Writer::new().heading(4, "Event").field(&label, value.as_str()).finish();
        let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
        let events: Vec<Event<'_>> = Parser::new_ext(&md, opts).collect();
        let starts: Vec<&Tag<'_>> = events.iter().filter_map(|e| if let Event::Start(t) = e { Some(t) } else { None }).collect();
        // One heading, one paragraph, and inside it only the label's bold.
        prop_assert!(matches!(starts.first(), Some(Tag::Heading { .. })), "{md:?}: {starts:?}");
        let rest: Vec<String> = starts[1..].iter().map(|t| format!("{t:?}")).collect();
        prop_assert_eq!(rest, vec!["Paragraph".to_string(), "Strong".to_string()], "{:?}", md);
    }
}

/// The block tags (less paragraphs) a markdown string opens.
fn block_tags(md: &str) -> Vec<String> {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    Parser::new_ext(md, opts)
        .filter_map(|e| match e {
            Event::Start(Tag::Paragraph) => None,
            Event::Start(t) => Some(
                format!("{t:?}")
                    .split([' ', '('])
                    .next()
                    .unwrap_or("")
                    .to_owned(),
            ),
            Event::Html(_) | Event::InlineHtml(_) | Event::Code(_) => Some("Html/Code".to_owned()),
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn writer_blocks_keep_their_structure(value in markdownish(), indent in "[ \t]{0,4}") {
        let value = format!("{indent}{value}");
        prop_assume!(!value.trim().is_empty());
        let para = Writer::new().paragraph(value.as_str()).finish();
        prop_assert_eq!(block_tags(&para), Vec::<String>::new(), "{:?}", para);
        let quote = Writer::new().quote(value.as_str()).finish();
        prop_assert_eq!(block_tags(&quote), vec!["BlockQuote".to_string()], "{:?}", quote);
        let list = Writer::new().list([value.as_str()]).finish();
        prop_assert_eq!(block_tags(&list), vec!["List".to_string(), "Item".to_string()], "{:?}", list);
    }
}

#[test]
fn leading_whitespace_cannot_smuggle_a_block() {
    for attack in [
        " # injected",
        " - x",
        " 1. x",
        "\t+ x",
        "   > q",
        "  ===",
        "   ---",
    ] {
        let md = Writer::new().paragraph(attack).finish();
        assert!(block_tags(&md).is_empty(), "{attack:?} -> {md:?}");
        let md = Writer::new().heading(4, "T").field("F", attack).finish();
        assert_eq!(
            block_tags(&md),
            vec!["Heading".to_string(), "Strong".to_string()],
            "{attack:?} -> {md:?}"
        );
    }
}

#[test]
fn known_attacks_are_defused() {
    for attack in [
        "[click](https://evil.example)",
        "![](https://evil.example/pixel.png)",
        "# Fake heading",
        "> fake quote",
        "- fake item\n- another",
        "1. fake\n2. list",
        "**bold** and *italic* and __under__",
        "<img src=x onerror=alert(1)>",
        "line\n===",
        "line\n---",
        "    indented code",
        "```\ncode\n```",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "@13800000000 @all",
        "~~gone~~",
    ] {
        check_inert(attack).unwrap();
    }
}

#[test]
fn inline_building_blocks_render_as_intended() {
    let md =
        (Inline::bold("a*b") + " " + Inline::link("x]y", "https://a.example/(1)")).into_string();
    assert_eq!(md, "**a\\*b** [x\\]y](https://a.example/%281%29)");
    let events: Vec<Event<'_>> = Parser::new(&md).collect();
    assert!(events.iter().any(|e| matches!(e, Event::Start(Tag::Link { dest_url, .. }) if dest_url.as_ref() == "https://a.example/%281%29")));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Start(Tag::Strong)))
    );
}
