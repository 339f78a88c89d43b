//! The hostile values every context is tried with, and what the output of a context
//! is: its markdown structure, its link targets, and whether it mentions anyone.

use dingbot::DingMessage;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::FileFailurePersistence;
use pulldown_cmark::{Event, Options, Parser, Tag};

/// The configuration of every context: 10,000 cases, and the seeds of past failures kept
/// beside the module that found them (`<module>.proptest-regressions`).
pub fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::with_cases(10_000)
    }
}

/// Every line break a markdown renderer may end a line at.
const LINE_BREAKS: &[&str] = &[
    "\n", "\n\n", "\r", "\r\r", "\r\n", "\u{2028}", "\u{2029}", "\u{85}", "\x0B", "\x0C",
];

/// What starts a block at the beginning of a line (and the whitespace that indents one).
const BLOCK_MARKERS: &[&str] = &[
    "#",
    "# ",
    "- ",
    "+ ",
    "* ",
    "1. ",
    "1) ",
    "- [ ] ",
    "> ",
    "   # x",
    "    code",
    "```",
    "~~~",
    "---",
    "===",
    "***",
    "| a |",
    "|---|",
    "<div>",
    "[x]: https://e.example",
    "[^1]: n",
    " ",
    "\t",
];

/// What forms an inline construct (or a mention) anywhere in a line.
const INLINE_MARKUP: &[&str] = &[
    "*",
    "_",
    "**",
    "`",
    "[a](https://e.example)",
    "![](https://e.example/p.png)",
    "<b>",
    "~~",
    "https://e.example",
    "@13800000000",
    "[x]",
    "[^1]",
    "&amp;",
    "\\",
    ".",
    ")",
    ": ",
];

/// What URLs start with: schemes DingTalk may open, and others.
const URL_PREFIXES: &[&str] = &[
    "https://e.example/",
    "http://e.example/",
    "HTTPS://e.example/",
    "dingtalk://dingtalkclient/page/link?url=",
    " https://e.example/",
    "javascript:",
    "",
];

/// Text made of line breaks, block markers, inline markup, digits, letters and CJK.
pub fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => select(LINE_BREAKS).prop_map(str::to_owned),
        3 => select(BLOCK_MARKERS).prop_map(str::to_owned),
        2 => select(INLINE_MARKUP).prop_map(str::to_owned),
        1 => (0u16..1000).prop_map(|n| n.to_string()),
        1 => word('a', 'z', 1..5),
        1 => word('\u{4e00}', '\u{9fa5}', 1..3),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

/// A run of `len` characters from `first` to `last`.
fn word(first: char, last: char, len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::char::range(first, last), len).prop_map(String::from_iter)
}

/// Up to `max` hostile values.
pub fn hostiles(max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(hostile(), 0..max)
}

/// A URL-ish value: a scheme (or none), then hostile text.
pub fn hostile_url() -> impl Strategy<Value = String> {
    (select(URL_PREFIXES), hostile()).prop_map(|(prefix, rest)| format!("{prefix}{rest}"))
}

/// A mention id: hostile text, or a plain id (a mobile number, a user id) now and then.
pub fn hostile_id() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => hostile(),
        1 => "[0-9]{11}",
        1 => "[a-z0-9_.+-]{1,8}",
    ]
}

/// How the benign stand-ins treat a hostile value that is only whitespace.
///
/// Whitespace carries no construct, but where it lands decides what it shows as: it
/// leaves a block out as nothing does (`Writer::paragraph(" ")`), or shows as a
/// character as a word does (`&#32;` at a line start). Such a value may match either.
#[derive(Clone, Copy, Debug)]
pub enum Blank {
    /// Blank values are replaced with nothing.
    Empty,
    /// Blank values are replaced with the benign word too.
    Word,
}

impl Blank {
    /// The benign stand-in for a hostile value: the word `x`, or for a blank value what
    /// `self` says.
    pub fn of(self, value: &str) -> String {
        match self {
            Blank::Empty if value.trim().is_empty() => String::new(),
            _ => "x".to_owned(),
        }
    }

    /// [`Blank::of`] for an optional value.
    pub fn of_opt(self, value: &Option<String>) -> Option<String> {
        value.as_deref().map(|v| self.of(v))
    }
}

// ----- what the output is -----

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
}

/// The structure of a markdown string: its tags in order, every event that is not plain
/// text or a line break, and its link reference definitions (which render as nothing).
pub fn structure(md: &str) -> Vec<String> {
    let mut parser = Parser::new_ext(md, options());
    let mut shape: Vec<String> = parser.by_ref().filter_map(event_shape).collect();
    let definitions = parser.reference_definitions().iter().count();
    shape.extend((0..definitions).map(|_| "LinkDefinition".to_owned()));
    shape
}

fn event_shape(event: Event<'_>) -> Option<String> {
    let shape = match event {
        Event::Start(tag) => tag_shape(&tag),
        Event::End(end) => format!("/{end:?}"),
        Event::Text(_) | Event::SoftBreak | Event::HardBreak => return None,
        Event::Code(_) => "Code".to_owned(),
        Event::Html(_) => "Html".to_owned(),
        Event::InlineHtml(_) => "InlineHtml".to_owned(),
        Event::InlineMath(_) | Event::DisplayMath(_) => "Math".to_owned(),
        Event::FootnoteReference(_) => "FootnoteReference".to_owned(),
        Event::Rule => "Rule".to_owned(),
        Event::TaskListMarker(_) => "TaskListMarker".to_owned(),
    };
    Some(shape)
}

/// A tag without the text it carries (a link's URL, a code block's info string).
fn tag_shape(tag: &Tag<'_>) -> String {
    match tag {
        Tag::Heading { level, .. } => format!("Heading({level:?})"),
        Tag::List(start) => format!("List({start:?})"),
        Tag::BlockQuote(kind) => format!("BlockQuote({kind:?})"),
        Tag::Link { link_type, .. } => format!("Link({link_type:?})"),
        Tag::Image { link_type, .. } => format!("Image({link_type:?})"),
        other => format!("{other:?}")
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect(),
    }
}

/// The targets of the links and images in `md`.
pub fn targets(md: &str) -> Vec<String> {
    Parser::new_ext(md, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.into_string())
            }
            _ => None,
        })
        .collect()
}

/// Fails if `md` holds a live mention: an `@` not followed by U+200B.
pub fn no_live_mention(md: &str) -> Result<(), TestCaseError> {
    for (at, _) in md.match_indices('@') {
        prop_assert!(
            md[at + 1..].starts_with('\u{200B}'),
            "a live mention at byte {} of {:?}",
            at,
            md
        );
    }
    Ok(())
}

/// [`no_live_mention`] for the text `md` renders to, leaving out link targets: an `@`
/// in a URL is part of the URL, not a mention.
pub fn no_live_mention_in_text(md: &str) -> Result<(), TestCaseError> {
    for event in Parser::new_ext(md, options()) {
        if let Event::Text(text) = event {
            no_live_mention(&text)?;
        }
    }
    Ok(())
}

/// Fails unless the output for hostile values has the structure of the output for
/// benign ones (`benign` builds it, with either treatment of blank values), and
/// mentions nobody.
pub fn same_structure(
    context: &str,
    hostile: &str,
    benign: impl Fn(Blank) -> Result<String, TestCaseError>,
) -> Result<(), TestCaseError> {
    let got = structure(hostile);
    let empty = benign(Blank::Empty)?;
    if got != structure(&empty) {
        let word = benign(Blank::Word)?;
        prop_assert!(
            got == structure(&word),
            "{}: {:?} parses as {:?}, but the benign {:?} as {:?} (and {:?} as {:?})",
            context,
            hostile,
            got,
            empty,
            structure(&empty),
            word,
            structure(&word)
        );
    }
    no_live_mention(hostile)
}

/// The markdown body of a derived message.
pub fn body(event: &impl DingMessage) -> Result<String, TestCaseError> {
    let message = event.to_message();
    let body = message.body();
    prop_assert!(body.is_some(), "no body in {:?}", message);
    Ok(body.unwrap_or_default().to_owned())
}
