//! The escaper (1) and the writer (2): every `Writer` method and `Inline` constructor
//! that takes text or a URL.

use dingbot::markdown::{Inline, Writer, escape};
use proptest::prelude::*;

use crate::hostile::{
    Blank, config, hostile, hostile_id, hostile_url, no_live_mention, no_live_mention_in_text,
    same_structure, structure, targets,
};

// ----- 1. the escaper -----

proptest! {
    #![proptest_config(config())]

    #[test]
    fn escaped_text_is_only_paragraphs(text in hostile()) {
        let md = escape(&text);
        let shape = structure(&md);
        prop_assert!(
            shape.iter().all(|s| s == "Paragraph" || s == "/Paragraph"),
            "{:?} escaped to {:?}, which parses as {:?}",
            text,
            md,
            shape
        );
        no_live_mention(&md)?;
    }
}

// ----- 2. the writer -----

/// `block` written between a heading and a paragraph, so that a value that leaks out of
/// its block shows in its neighbours too.
fn between(block: impl FnOnce(Writer) -> Writer) -> String {
    block(Writer::new().heading(4, "Before"))
        .paragraph("after")
        .finish()
}

/// Whether `id` is a plain mention id (letters, digits, `+-_.`, at most 64 bytes), which
/// [`Inline::mention`] writes as a live mention.
fn is_plain_id(id: &str) -> bool {
    let chars: Vec<char> = id.trim().chars().collect();
    let word = |i: usize| chars.get(i).is_some_and(|c| c.is_alphanumeric());
    chars.first().is_some_and(|c| c.is_alphanumeric() || *c == '+')
        && id.trim().len() <= 64
        && chars
            .iter()
            .all(|c| c.is_alphanumeric() || matches!(c, '+' | '-' | '_' | '.'))
        // `_` only inside a word: elsewhere a pair of them is emphasis.
        && (0..chars.len()).all(|i| chars[i] != '_' || (i > 0 && word(i - 1) && word(i + 1)))
}

/// A paragraph that mentions `id`.
fn mentioning(id: &str) -> String {
    between(|w| w.paragraph(Inline::text("cc ") + Inline::mention(id)))
}

/// Inline text, bold and italic, in the middle of a line and at the start of blocks.
fn inline_pieces(text: &str) -> String {
    let line = Inline::text("see ")
        + Inline::bold(text)
        + " and "
        + Inline::italic(text)
        + ", "
        + Inline::text(text);
    between(|w| {
        w.paragraph(Inline::text(text))
            .paragraph(line)
            .paragraph(Inline::bold(text))
            .list([Inline::italic(text)])
    })
}

/// A link inside a sentence.
fn link(text: &str, url: &str) -> String {
    between(|w| w.paragraph(Inline::text("see ") + Inline::link(text, url) + " now"))
}

const GOOD_URL: &str = "https://e.example/ok";

proptest! {
    #![proptest_config(config())]

    #[test]
    fn writer_heading(text in hostile(), level in 1u8..=6) {
        let md = between(|w| w.heading(level, text.as_str()));
        same_structure("heading", &md, |b| Ok(between(|w| w.heading(level, b.of(&text)))))?;
    }

    #[test]
    fn writer_paragraph(text in hostile()) {
        let md = between(|w| w.paragraph(text.as_str()));
        same_structure("paragraph", &md, |b| Ok(between(|w| w.paragraph(b.of(&text)))))?;
    }

    #[test]
    fn writer_field_value(value in hostile()) {
        let md = between(|w| w.field("Reason", value.as_str()));
        same_structure("field value", &md, |b| Ok(between(|w| w.field("Reason", b.of(&value)))))?;
    }

    #[test]
    fn writer_field_label(label in hostile()) {
        let md = between(|w| w.field(&label, "card declined"));
        same_structure("field label", &md, |b| {
            Ok(between(|w| w.field(&b.of(&label), "card declined")))
        })?;
    }

    #[test]
    fn writer_quote(text in hostile()) {
        let md = between(|w| w.quote(text.as_str()));
        same_structure("quote", &md, |b| Ok(between(|w| w.quote(b.of(&text)))))?;
    }

    #[test]
    fn writer_lists(items in prop::collection::vec(hostile(), 1..5)) {
        let benign = |b: Blank| -> Vec<String> { items.iter().map(|i| b.of(i)).collect() };
        let md = between(|w| w.list(&items));
        same_structure("list", &md, |b| Ok(between(|w| w.list(benign(b)))))?;
        let md = between(|w| w.ordered_list(&items));
        same_structure("ordered list", &md, |b| Ok(between(|w| w.ordered_list(benign(b)))))?;
    }

    #[test]
    fn inline_text_bold_italic(text in hostile()) {
        let md = inline_pieces(&text);
        same_structure("inline text, bold, italic", &md, |b| Ok(inline_pieces(&b.of(&text))))?;
    }

    #[test]
    fn inline_link_text(text in hostile()) {
        let md = link(&text, GOOD_URL);
        same_structure("link text", &md, |b| Ok(link(&b.of(&text), GOOD_URL)))?;
    }

    #[test]
    fn inline_link_and_image_urls(url in hostile_url()) {
        // A link to the URL or no link at all, an image of it or none, and nothing else.
        let md = link("open", &url);
        let shape = structure(&md);
        let linked = structure(&link("open", GOOD_URL));
        let unlinked = structure(&link("open", "x"));
        prop_assert!(
            shape == linked || shape == unlinked,
            "link URL: {:?} parses as {:?}",
            md,
            shape
        );

        let image_md = between(|w| w.image(&url));
        let image_shape = structure(&image_md);
        let image = structure(&between(|w| w.image("https://e.example/p.png")));
        let no_image = structure(&between(|w| w.image("x")));
        prop_assert!(
            image_shape == image || image_shape == no_image,
            "image URL: {:?} parses as {:?}",
            image_md,
            image_shape
        );

        for target in targets(&md).into_iter().chain(targets(&image_md)) {
            let scheme_ok = ["http://", "https://", "dingtalk://"].iter().any(|scheme| {
                target.get(..scheme.len()).is_some_and(|p| p.eq_ignore_ascii_case(scheme))
            });
            prop_assert!(scheme_ok, "{:?} links to {:?}", url, target);
            let spaced = target.contains(char::is_whitespace);
            prop_assert!(!spaced, "{:?} links to {:?}", url, target);
        }
        no_live_mention_in_text(&md)?;
        no_live_mention_in_text(&image_md)?;
    }

    #[test]
    fn inline_mention_of_free_text(id in hostile().prop_filter("not an id", |i| !is_plain_id(i))) {
        // Not an id: escaped text, which mentions nobody.
        same_structure("mention of free text", &mentioning(&id), |_| Ok(mentioning("x")))?;
    }

    // Once an injection: `_` was allowed anywhere in an id, and formed emphasis after
    // punctuation (`Inline::mention("+_0_")` rendered an italic `0`).
    #[test]
    fn inline_mention_of_plain_ids(id in hostile_id().prop_filter("an id", |id| is_plain_id(id))) {
        let md = mentioning(&id);
        let (got, expected) = (structure(&md), structure(&mentioning("x")));
        prop_assert_eq!(got, expected, "mention: {:?} parses unlike a mention of x", md);
        let mention = format!("cc @{}", id.trim());
        prop_assert!(md.contains(&mention), "{:?} is not mentioned in {:?}", id, md);
    }
}
