//! Untrusted text never creates a markdown construct of its own, wherever dingbot writes
//! it into markdown.
//!
//! What is proven, for every context dingbot writes untrusted text into:
//!
//! 1. [`markdown::escape`] alone gives only paragraphs of text;
//! 2. every [`Writer`] method and [`Inline`] constructor that takes text or a URL;
//! 3. the default body `#[derive(DingMessage)]` builds (heading, labels, values);
//! 4. `body` templates, with placeholders next to each other and to literal text that
//!    could start a block (`1{a}`, `- {a}`, `> {a}`, `Line\r{a}`, `**{a}**`);
//! 5. an action card's body.
//!
//! A text message is plain text (DingTalk never renders it as markdown), so it is not a
//! context.
//!
//! The check: the output for hostile values has the same *structure* as the output of
//! the same call with every value replaced by a benign word, `x`. The structure is what
//! [pulldown-cmark] (CommonMark, the dialect DingTalk's renderer follows, with GFM
//! tables, strikethrough, task lists, footnotes and GFM blockquote kinds switched on)
//! parses: the sequence of start and end tags (paragraphs included, so that a value
//! ending a heading or a quote early shows as a paragraph of its own), every code,
//! HTML, rule, footnote reference and task list marker, and every link reference
//! definition. Besides, no `@` that comes from a value may be a live mention in the
//! rendered text: each must be followed by U+200B (the one exception is
//! `Inline::mention` of a plain id, which is meant to mention).
//!
//! The hostile values are built from every line break some renderer honours (`\n`,
//! `\r\n`, a lone `\r`, VT, FF, NEL, U+2028, U+2029), block markers, inline markup,
//! digits, letters and CJK. A value that is only whitespace creates nothing, but it
//! may leave its block out or show as a character (`&#32;`), so it is replaced with
//! nothing or with `x`, and the output must match one of the two.
//!
//! Each context is a proptest of 10,000 cases.
//!
//! [`markdown::escape`]: dingbot::markdown::escape
//! [pulldown-cmark]: https://docs.rs/pulldown-cmark

use dingbot::DingMessage;
use dingbot::markdown::{Inline, Writer, escape};
use proptest::prelude::*;
use proptest::sample::select;
use pulldown_cmark::{Event, Options, Parser, Tag};

// ----- hostile values -----

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
fn hostile() -> impl Strategy<Value = String> {
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

/// A URL-ish value: a scheme (or none), then hostile text.
fn hostile_url() -> impl Strategy<Value = String> {
    (select(URL_PREFIXES), hostile()).prop_map(|(prefix, rest)| format!("{prefix}{rest}"))
}

/// A mention id: hostile text, or a plain id (a mobile number, a user id) now and then.
fn hostile_id() -> impl Strategy<Value = String> {
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
enum Blank {
    /// Blank values are replaced with nothing.
    Empty,
    /// Blank values are replaced with the benign word too.
    Word,
}

impl Blank {
    /// The benign stand-in for a hostile value: the word `x`, or for a blank value what
    /// `self` says.
    fn of(self, value: &str) -> String {
        match self {
            Blank::Empty if value.trim().is_empty() => String::new(),
            _ => "x".to_owned(),
        }
    }

    /// [`Blank::of`] for an optional value.
    fn of_opt(self, value: &Option<String>) -> Option<String> {
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
fn structure(md: &str) -> Vec<String> {
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
fn targets(md: &str) -> Vec<String> {
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
fn no_live_mention(md: &str) -> Result<(), TestCaseError> {
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
fn no_live_mention_in_text(md: &str) -> Result<(), TestCaseError> {
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
fn same_structure(
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
fn body(event: &impl DingMessage) -> Result<String, TestCaseError> {
    let message = event.to_message();
    let body = message.body();
    prop_assert!(body.is_some(), "no body in {:?}", message);
    Ok(body.unwrap_or_default().to_owned())
}

// ----- 1. the escaper -----

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

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
    #![proptest_config(ProptestConfig::with_cases(10_000))]

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
    #![proptest_config(ProptestConfig::with_cases(10_000))]

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
    #![proptest_config(ProptestConfig::with_cases(10_000))]

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
    #![proptest_config(ProptestConfig::with_cases(10_000))]

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
