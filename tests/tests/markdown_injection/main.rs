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
//! 5. an action card's body;
//! 6. `list` fields: list items, map keys and values, and the items of `#[derive(DingItem)]`
//!    types (from their template or the default rendering, with lists nested under them).
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
//! [`Writer`]: dingbot::markdown::Writer
//! [`Inline`]: dingbot::markdown::Inline
//! [pulldown-cmark]: https://docs.rs/pulldown-cmark

mod derive;
mod hostile;
mod lists;
mod writer;
