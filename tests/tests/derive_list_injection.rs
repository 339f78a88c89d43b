//! Untrusted values in `list` fields never create a markdown construct of their own: list
//! items, map keys and values, and the items of `#[derive(DingItem)]` types (from their
//! template or the default rendering, with lists nested under them).
//!
//! The check is the one of `markdown_injection.rs`: the output for hostile values has the
//! *structure* (the tags pulldown-cmark parses, every code, HTML, rule and link
//! definition) of the output for the same message with every value replaced by a benign
//! word, and no `@` from a value is a live mention. A value that is only whitespace may
//! show as nothing or as a character, so it is replaced with nothing or with the word,
//! and the output must match one of the two. Each context is a proptest of 10,000 cases.

use std::collections::BTreeMap;

use dingbot::{DingItem, DingMessage};
use proptest::prelude::*;
use proptest::sample::select;
use pulldown_cmark::{Event, Options, Parser, Tag};

// ----- hostile values (as in markdown_injection.rs) -----

const LINE_BREAKS: &[&str] = &[
    "\n", "\n\n", "\r", "\r\r", "\r\n", "\u{2028}", "\u{2029}", "\u{85}", "\x0B", "\x0C",
];

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
    "&amp;",
    "\\",
    ".",
    ")",
    ": ",
];

fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => select(LINE_BREAKS).prop_map(str::to_owned),
        3 => select(BLOCK_MARKERS).prop_map(str::to_owned),
        2 => select(INLINE_MARKUP).prop_map(str::to_owned),
        1 => (0u16..1000).prop_map(|n| n.to_string()),
        1 => "[a-z]{1,4}",
        1 => "[\u{4e00}-\u{9fa5}]{1,2}",
    ];
    prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}

fn hostiles(max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(hostile(), 0..max)
}

/// The benign stand-in for a value: `x`, or for a blank value nothing (`empty`).
fn benign(value: &str, empty: bool) -> String {
    if empty && value.trim().is_empty() {
        String::new()
    } else {
        "x".to_owned()
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

fn structure(md: &str) -> Vec<String> {
    let mut parser = Parser::new_ext(md, options());
    let mut shape: Vec<String> = parser
        .by_ref()
        .filter_map(|event| {
            Some(match event {
                Event::Start(tag) => match tag {
                    Tag::Heading { level, .. } => format!("Heading({level:?})"),
                    Tag::List(start) => format!("List({start:?})"),
                    Tag::Link { link_type, .. } => format!("Link({link_type:?})"),
                    other => format!("{other:?}")
                        .chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .collect(),
                },
                Event::End(end) => format!("/{end:?}"),
                Event::Text(_) | Event::SoftBreak | Event::HardBreak => return None,
                other => format!("{other:?}")
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect(),
            })
        })
        .collect();
    let definitions = parser.reference_definitions().iter().count();
    shape.extend((0..definitions).map(|_| "LinkDefinition".to_owned()));
    shape
}

/// Fails unless `hostile` parses like one of the two benign bodies, and mentions nobody.
fn same_structure(hostile: &str, benign: impl Fn(bool) -> String) -> Result<(), TestCaseError> {
    let got = structure(hostile);
    let (empty, word) = (benign(true), benign(false));
    prop_assert!(
        got == structure(&empty) || got == structure(&word),
        "{:?} parses as {:?}, but the benign {:?} as {:?} and {:?} as {:?}",
        hostile,
        got,
        empty,
        structure(&empty),
        word,
        structure(&word)
    );
    for (at, _) in hostile.match_indices('@') {
        prop_assert!(
            hostile[at + 1..].starts_with('\u{200B}'),
            "a live mention at byte {} of {:?}",
            at,
            hostile
        );
    }
    Ok(())
}

fn body(event: &impl DingMessage) -> String {
    event.to_message().body().unwrap_or_default().to_owned()
}

// ----- the messages -----

/// A map of its own: `&Pairs` iterates `(&K, &V)`, in insertion order (keys may repeat).
struct Pairs(Vec<(String, String)>);

fn pair(entry: &(String, String)) -> (&String, &String) {
    (&entry.0, &entry.1)
}

impl<'a> IntoIterator for &'a Pairs {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(pair)
    }
}

#[derive(DingMessage)]
#[ding(title = "Report")]
struct Report {
    #[ding(list)]
    items: Vec<String>,
    #[ding(list)]
    labels: Pairs,
    after: String,
}

#[derive(DingItem)]
#[ding(item = "**{name}**: {state}{#note} ({note}){/note}{tags}")]
struct Check {
    name: String,
    state: String,
    note: Option<String>,
    #[ding(list)]
    tags: Vec<String>,
}

#[derive(DingItem)]
struct Service {
    name: String,
    owner: Option<String>,
    #[ding(list)]
    checks: Vec<Check>,
    #[ding(list)]
    labels: BTreeMap<u32, String>,
}

#[derive(DingMessage)]
#[ding(title = "Status", body = "Services:\n{services}\n\nEnd: {after}")]
struct Status {
    #[ding(list)]
    services: Vec<Service>,
    after: String,
}

fn check(values: &[String; 3], tags: &[String], empty: Option<bool>) -> Check {
    let v = |s: &String| match empty {
        Some(empty) => benign(s, empty),
        None => s.clone(),
    };
    Check {
        name: v(&values[0]),
        state: v(&values[1]),
        note: (!values[2].is_empty()).then(|| v(&values[2])),
        tags: tags.iter().map(v).collect(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn list_items_and_map_entries(
        items in hostiles(4),
        labels in prop::collection::vec((hostile(), hostile()), 0..4),
        after in hostile(),
    ) {
        let event = Report {
            items: items.clone(),
            labels: Pairs(labels.clone()),
            after: after.clone(),
        };
        same_structure(&body(&event), |empty| {
            body(&Report {
                items: items.iter().map(|i| benign(i, empty)).collect(),
                labels: Pairs(
                    labels
                        .iter()
                        .map(|(k, v)| (benign(k, empty), benign(v, empty)))
                        .collect(),
                ),
                after: benign(&after, empty),
            })
        })?;
    }

    #[test]
    fn items_from_templates_and_defaults_with_nested_lists(
        checks in prop::collection::vec(
            (prop::array::uniform3(hostile()), hostiles(3)),
            0..3,
        ),
        name in hostile(),
        owner in prop::option::of(hostile()),
        label in hostile(),
        after in hostile(),
    ) {
        let build = |empty: Option<bool>| {
            let v = |s: &String| match empty {
                Some(empty) => benign(s, empty),
                None => s.clone(),
            };
            Status {
                services: vec![Service {
                    name: v(&name),
                    owner: owner.as_ref().map(v),
                    checks: checks.iter().map(|(values, tags)| check(values, tags, empty)).collect(),
                    labels: BTreeMap::from([(7, v(&label))]),
                }],
                after: v(&after),
            }
        };
        same_structure(&body(&build(None)), |empty| body(&build(Some(empty))))?;
    }
}
