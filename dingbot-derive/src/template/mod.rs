//! `title = "..."` and `body = "..."` templates: `{field}` placeholders, `{{`/`}}` escapes.
//!
//! A template is scanned when its attribute is parsed and resolves itself against the
//! fields' names ([`Template::resolve`]); `valid` checks what the fields are used for, and
//! `expand` turns it into code, asking a markdown template where each value lands
//! ([`Template::markdown_spots`]).

mod link;
mod piece;
mod scan;
mod unrendered;

use proc_macro2::Span;
use syn::{Ident, LitStr};

use crate::ctxt::Ctxt;
use crate::hint;
use crate::keys::Key;

pub use self::link::Spot;
pub use self::piece::{Name, Piece, Placeholder};

/// A scanned template. When scanning failed the error has been reported and `pieces` is
/// empty, so later stages see a template that names no field.
pub struct Template {
    /// `title` or `body`: what the template is, for error messages.
    pub key: &'static Key,
    pub lit: LitStr,
    pub pieces: Vec<Piece>,
    /// False when scanning failed (the error is reported).
    pub scanned: bool,
}

impl Template {
    /// Scans `lit`, the value of `key` (`title` or `body`).
    pub fn parse(cx: &Ctxt, lit: LitStr, key: &'static Key) -> Template {
        let text = lit.value();
        if text.trim().is_empty() {
            cx.error(
                lit.span(),
                format_args!("the `{key}` must not be empty: write the text to show"),
            );
            return Template {
                key,
                lit,
                scanned: false,
                pieces: Vec::new(),
            };
        }
        let (pieces, errors) = scan::scan(&text);
        for msg in &errors {
            cx.error(lit.span(), format_args!("invalid `{key}` template: {msg}"));
        }
        Template {
            key,
            lit,
            scanned: errors.is_empty(),
            pieces,
        }
    }

    pub fn span(&self) -> Span {
        self.lit.span()
    }

    pub fn placeholders(&self) -> impl Iterator<Item = &Placeholder> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Field(ph) => Some(ph),
            _ => None,
        })
    }

    /// The `{#name}` of each section, in order.
    pub fn sections(&self) -> impl Iterator<Item = &Placeholder> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Open(ph) => Some(ph),
            _ => None,
        })
    }

    /// Placeholders and section openings alike: every name that must be a field.
    fn names_mut(&mut self) -> impl Iterator<Item = &mut Placeholder> {
        self.pieces.iter_mut().filter_map(|p| match p {
            Piece::Field(ph) | Piece::Open(ph) => Some(ph),
            Piece::Lit(_) | Piece::Close(_) => None,
        })
    }

    /// A template that must not have sections (a title, a URL) reports each.
    pub fn forbid_sections(&self, cx: &Ctxt) {
        for section in self.sections() {
            cx.error(
                self.span(),
                format_args!(
                    "the {} cannot have sections (`{{#{}}}`): they are for `body` and `item` \
                     templates; a `None` here shows as nothing",
                    self.key, section.name
                ),
            );
        }
    }

    /// A template that is one line of plain text (a summary) reports a line break in its
    /// own text; a value's line breaks become spaces when it is formatted.
    pub fn forbid_line_breaks(&self, cx: &Ctxt) {
        const BREAKS: [char; 7] = [
            '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}',
        ];
        if self.lit.value().contains(BREAKS) {
            cx.error(
                self.span(),
                format_args!(
                    "the {} is one line: remove the line break from the template (a value's own \
                     line breaks become spaces)",
                    self.key
                ),
            );
        }
    }

    /// A URL template (a button's) must be an absolute `http(s)://` or `dingtalk://` URL.
    pub fn check_absolute_url(&self, cx: &Ctxt) {
        self.forbid_sections(cx);
        if !self.scanned {
            return;
        }
        let start = match self.pieces.first() {
            Some(Piece::Lit(text)) => text.as_str(),
            _ => "",
        };
        if !unrendered::is_absolute(start) {
            cx.error(
                self.span(),
                format_args!(
                    "a button's URL must be absolute: start it with {}, as in \
                     `url = \"https://crm.example.com/orders/{{id}}\"` (DingTalk cannot open \
                     {:?})",
                    unrendered::schemes(),
                    self.lit.value()
                ),
            );
        }
    }

    /// A markdown template (a `body`, an `item`) reports what DingTalk would not render
    /// in its own text: a link or image target that is not an absolute URL it opens, code
    /// spans and blocks, tables and HTML. Values are escaped, so they cannot add any.
    pub fn check_rendered(&self, cx: &Ctxt) {
        if !self.scanned {
            return;
        }
        let outline = link::outline(&self.pieces);
        for target in unrendered::relative_targets(&outline) {
            cx.error(
                self.span(),
                format_args!(
                    "a link's or image's target must be an absolute URL: start it with {}, as \
                     in `[Order](https://crm.example.com/orders/{{id}})`, or make a field the \
                     whole target, as in `[Order]({{url}})` (DingTalk cannot open {:?})",
                    unrendered::schemes(),
                    target.shown.trim()
                ),
            );
        }
        for construct in unrendered::unrendered(&outline.text) {
            cx.error(
                self.span(),
                format_args!(
                    "DingTalk's markdown does not render the {} in this {}: {}",
                    construct.name, self.key, construct.instead
                ),
            );
        }
    }

    /// Matches each placeholder to a field of `owner`, whose fields are named `fields`
    /// (in order), reporting names that match none.
    pub fn resolve(&mut self, cx: &Ctxt, owner: &Ident, fields: &[Name]) {
        let tuple = matches!(fields.first(), Some(Name::Index(_)));
        let key = self.key;
        let span = self.span();
        for placeholder in self.names_mut() {
            placeholder.field = fields.iter().position(|f| *f == placeholder.name);
            if placeholder.field.is_some() {
                continue;
            }
            let name = &placeholder.name;
            let mut msg = format!("`{{{name}}}` in the {key} does not name a field of `{owner}`");
            match name {
                Name::Index(_) if !tuple && !fields.is_empty() => {
                    msg.push_str(&format!(
                        ": its fields have names, so write one, as in `{{{}}}`",
                        fields[0]
                    ));
                }
                Name::Named(_) if tuple => {
                    msg.push_str(": its fields are numbered; write `{0}`, `{1}`, ...");
                }
                Name::Named(n) => {
                    let names: Vec<String> = fields.iter().map(Name::to_string).collect();
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    if let Some(near) = hint::closest(n, names.iter().copied()) {
                        msg.push_str(&format!("; did you mean `{{{near}}}`?"));
                    } else if fields.is_empty() {
                        msg.push_str(", which has no fields");
                    } else {
                        msg.push_str(&format!("; its fields are {}", name_list(&names)));
                    }
                }
                Name::Index(_) => {
                    if fields.is_empty() {
                        msg.push_str(", which has no fields");
                    } else {
                        msg.push_str(&format!(
                            ": it has {} field{} ({})",
                            fields.len(),
                            if fields.len() == 1 { "" } else { "s" },
                            (0..fields.len())
                                .map(|i| format!("`{{{i}}}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                }
            }
            cx.error(span, msg);
        }
    }

    /// Whether the template was scanned and every placeholder names a field; when not, an
    /// error has been reported and rules about fields it leaves out stay quiet.
    pub fn is_complete(&self) -> bool {
        self.scanned
            && self
                .placeholders()
                .chain(self.sections())
                .all(|p| p.field.is_some())
    }

    /// Whether a placeholder names field number `index`.
    pub fn uses(&self, index: usize) -> bool {
        self.placeholders()
            .chain(self.sections())
            .any(|p| p.field == Some(index))
    }

    /// The [`Spot`] of each piece, in order, when the template is markdown (a literal
    /// piece is `Text`).
    pub fn markdown_spots(&self) -> Vec<Spot> {
        link::spots(&self.pieces)
    }

    /// The bytes written as they are; a hint for the capacity of the output.
    pub fn literal_len(&self) -> usize {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Lit(s) => s.len(),
                _ => 0,
            })
            .sum()
    }
}

/// `` `a`, `b` and `c` ``, or the first few names and a count of the rest.
fn name_list(names: &[&str]) -> String {
    const SHOWN: usize = 8;
    let quoted: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    match (quoted.split_last(), names.len()) {
        (None, _) => String::new(),
        (Some((last, [])), _) => last.clone(),
        (Some((last, rest)), n) if n <= SHOWN => format!("{} and {last}", rest.join(", ")),
        (Some(_), n) => format!("{} and {} more", quoted.join(", "), n - SHOWN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::TITLE;

    fn lit(s: &str) -> LitStr {
        LitStr::new(s, Span::call_site())
    }

    fn ident(s: &str) -> Ident {
        Ident::new(s, Span::call_site())
    }

    #[test]
    fn completeness() {
        let cx = Ctxt::new();
        let mut named = Template::parse(&cx, lit("Order {id}"), &TITLE);
        assert!(
            !named.is_complete(),
            "a placeholder not yet matched to a field"
        );
        named.resolve(&cx, &ident("OrderFailed"), &[Name::Named("id".to_owned())]);
        assert!(named.is_complete());
        assert!(Template::parse(&cx, lit("no fields"), &TITLE).is_complete());
        let broken = Template::parse(&cx, lit("Order {id"), &TITLE);
        assert!(!broken.is_complete());
        assert_eq!(broken.pieces, [Piece::Lit("Order ".to_owned())]);
        let err = cx.check().unwrap_err();
        assert!(err.to_string().contains("unclosed `{`"));
    }

    #[test]
    fn resolves_names_to_fields() {
        let cx = Ctxt::new();
        let fields = [
            Name::Named("id".to_owned()),
            Name::Named("customer".to_owned()),
        ];
        let mut template = Template::parse(&cx, lit("{customer}: {id} {custmer}"), &TITLE);
        template.resolve(&cx, &ident("OrderFailed"), &fields);
        let found: Vec<Option<usize>> = template.placeholders().map(|p| p.field).collect();
        assert_eq!(found, [Some(1), Some(0), None]);
        let err = cx.check().unwrap_err().to_string();
        assert!(err.contains("did you mean `{customer}`?"), "{err}");
    }

    #[test]
    fn lists_field_names() {
        assert_eq!(name_list(&["id"]), "`id`");
        assert_eq!(name_list(&["id", "customer"]), "`id` and `customer`");
        assert_eq!(name_list(&["a", "b", "c"]), "`a`, `b` and `c`");
        let many = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        assert_eq!(
            name_list(&many),
            "`a`, `b`, `c`, `d`, `e`, `f`, `g`, `h` and 2 more"
        );
    }
}
