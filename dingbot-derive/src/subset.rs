// DingTalk's markdown subset as data: a copy of `dingbot::markdown::subset`'s table (a
// proc-macro cannot depend on the crate it serves), which `tests/tests/derive_subset.rs`
// includes and compares with the library's. Data only, so that test can include it.

/// A construct of markdown, and whether DingTalk's clients render it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Construct {
    /// What it is called, as in `"code span"`.
    pub name: &'static str,
    /// How it is written, as in ``"`code`"``.
    pub example: &'static str,
    /// Whether DingTalk's clients render it.
    pub rendered: bool,
    /// For a construct they do not render: what the reader sees instead, and what to
    /// write. Empty for the others.
    pub instead: &'static str,
}

/// `#`..`######` headings.
pub const HEADING: Construct = rendered("heading", "#### Order 42 failed");
/// `>` quotes.
pub const QUOTE: Construct = rendered("quote", "> card declined");
/// `**bold**`.
pub const BOLD: Construct = rendered("bold", "**bold**");
/// `*italic*`.
pub const ITALIC: Construct = rendered("italic", "*italic*");
/// `[text](url)`, to an absolute URL of one of the [`LINK_SCHEMES`].
pub const LINK: Construct = rendered("link", "[Order 42](https://crm.example.com/orders/42)");
/// `![](url)`, to an absolute URL of one of the [`LINK_SCHEMES`].
pub const IMAGE: Construct = rendered("image", "![](https://grafana.example.com/chart.png)");
/// `-` lists.
pub const BULLET_LIST: Construct = rendered("bulleted list", "- item");
/// `1.` lists.
pub const ORDERED_LIST: Construct = rendered("ordered list", "1. item");
/// `` `code` `` spans.
pub const CODE_SPAN: Construct = unrendered(
    "code span",
    "`code`",
    "the backticks show as they are; write \\` for a backtick, or **bold** for a name",
);
/// ```` ``` ```` or `~~~` fenced code blocks.
pub const CODE_BLOCK: Construct = unrendered(
    "code block",
    "```",
    "the fences show as text; write the lines as a `-` list or a `>` quote",
);
/// Tables: `|` rows under a `|---|` separator.
pub const TABLE: Construct = unrendered(
    "table",
    "| a | b |\n|---|---|",
    "the pipes and dashes show as text; write a `-` list of `**Label**: value` lines",
);
/// Raw HTML tags and comments.
pub const HTML: Construct = unrendered(
    "HTML tag",
    "<b>",
    "the tags show as text (a few render on desktop only); write markdown, as in \
     `**bold**` or `[text](https://...)`",
);

/// Every construct, the rendered ones first.
pub const CONSTRUCTS: &[Construct] = &[
    HEADING,
    QUOTE,
    BOLD,
    ITALIC,
    LINK,
    IMAGE,
    BULLET_LIST,
    ORDERED_LIST,
    CODE_SPAN,
    CODE_BLOCK,
    TABLE,
    HTML,
];

/// The schemes of the absolute URLs DingTalk opens from a link, an image or a button:
/// the web, and DingTalk's own `dingtalk://` links. Anything else (a relative URL,
/// `mailto:`, `javascript:`) is not opened.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "dingtalk"];

const fn rendered(name: &'static str, example: &'static str) -> Construct {
    Construct {
        name,
        example,
        rendered: true,
        instead: "",
    }
}

const fn unrendered(name: &'static str, example: &'static str, instead: &'static str) -> Construct {
    Construct {
        name,
        example,
        rendered: false,
        instead,
    }
}
