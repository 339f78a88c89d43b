//! Where a placeholder of a markdown template lands: in text, or in the destination of a
//! link or image (`[Open]({url})`, `![]({chart})`), where its value is a URL or part of
//! one and is encoded as such instead of escaped as text.
//!
//! Only the template's own text can open a destination (a value is escaped, so it
//! cannot write `](`): the literal text is followed character by character.

use super::piece::Piece;

/// Where a piece of a markdown template lands.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Spot {
    /// In text, as in `Order {id} failed`: the value is escaped.
    Text,
    /// The whole destination of a link or image, as in `[Open]({url})`: the value is a
    /// URL.
    Url,
    /// Inside a destination after other URL text, as in
    /// `[Order](https://crm.example.com/orders/{id})`: the value is a URL component.
    UrlPart,
    /// In a link's title, as in `[x](https://a.example "{title}")`: the value is escaped
    /// as text, and its quotes and parentheses too.
    Title,
}

/// What the literal text so far has opened.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    /// Outside any link destination; `after_bracket` when the last character was `]`.
    Text { after_bracket: bool },
    /// After `](`: `depth` counts the parentheses opened inside it, `angle` whether it is
    /// written `<...>`, `empty` whether nothing but leading spaces is in it yet.
    Destination {
        depth: usize,
        angle: bool,
        empty: bool,
    },
    /// After the destination and before the closing `)`: a link title, as in
    /// `[x](url "title")`, which is text.
    Title,
}

impl State {
    const TEXT: State = State::Text {
        after_bracket: false,
    };

    /// The state after the literal character `c`; `escaped` when a backslash precedes it.
    fn after(self, c: char, escaped: bool) -> State {
        match self {
            _ if c == '\n' || c == '\r' => State::TEXT,
            State::Text { .. } if escaped => State::TEXT,
            State::Text {
                after_bracket: true,
            } if c == '(' => State::Destination {
                depth: 0,
                angle: false,
                empty: true,
            },
            State::Text { .. } => State::Text {
                after_bracket: c == ']',
            },
            State::Destination { depth, angle, .. } if escaped => State::Destination {
                depth,
                angle,
                empty: false,
            },
            State::Destination {
                depth,
                angle,
                empty,
            } => match c {
                ' ' | '\t' if empty => self,
                '<' if empty && !angle => State::Destination {
                    depth,
                    angle: true,
                    empty: true,
                },
                '>' if angle => State::Title,
                ' ' | '\t' if !angle => State::Title,
                '(' if !angle => State::Destination {
                    depth: depth + 1,
                    angle,
                    empty: false,
                },
                ')' if !angle && depth == 0 => State::TEXT,
                ')' if !angle => State::Destination {
                    depth: depth - 1,
                    angle,
                    empty: false,
                },
                _ => State::Destination {
                    depth,
                    angle,
                    empty: false,
                },
            },
            State::Title if c == ')' && !escaped => State::TEXT,
            State::Title => State::Title,
        }
    }

    /// Where a placeholder in this state lands, and the state after it.
    fn placeholder(self) -> (Spot, State) {
        match self {
            State::Destination {
                depth,
                angle,
                empty,
            } => {
                let spot = if empty { Spot::Url } else { Spot::UrlPart };
                let after = State::Destination {
                    depth,
                    angle,
                    empty: false,
                };
                (spot, after)
            }
            // A value between `]` and `(` keeps them from forming `](`.
            State::Text { .. } => (Spot::Text, State::TEXT),
            State::Title => (Spot::Title, State::Title),
        }
    }
}

/// A markdown template's literal text seen from DingTalk's side: the text outside link
/// destinations, and each destination as written.
pub struct Outline {
    /// The literal text outside link destinations, backslashes kept; each placeholder
    /// is [`Outline::VALUE`], as a value is escaped and cannot form markup.
    pub text: String,
    /// Every link or image destination, in order.
    pub targets: Vec<Target>,
}

impl Outline {
    /// What stands for a placeholder in [`Outline::text`].
    pub const VALUE: char = '\u{FFFC}';
}

/// One link or image destination of a template.
pub struct Target {
    /// The literal text before its first placeholder, as written.
    pub start: String,
    /// The whole destination, placeholders written `{name}`.
    pub shown: String,
    /// Whether a placeholder is the first thing in it after spaces and `<`, so the value
    /// is the URL itself (checked when the message is built).
    pub value_first: bool,
}

/// The [`Outline`] of a markdown template.
pub fn outline(pieces: &[Piece]) -> Outline {
    let mut state = State::TEXT;
    let mut escaped = false;
    let mut out = Outline {
        text: String::new(),
        targets: Vec::new(),
    };
    let mut before_value = false;
    for piece in pieces {
        match piece {
            Piece::Lit(text) => {
                for c in text.chars() {
                    let was = state;
                    state = state.after(c, escaped);
                    escaped = c == '\\' && !escaped;
                    match (was, state) {
                        (State::Text { .. }, State::Destination { .. }) => {
                            out.text.push(c);
                            before_value = true;
                            out.targets.push(Target {
                                start: String::new(),
                                shown: String::new(),
                                value_first: false,
                            });
                        }
                        (State::Destination { .. }, State::Title) => {
                            if let Some(target) = out.targets.last_mut() {
                                target.shown.push(c);
                            }
                        }
                        (State::Destination { .. }, State::Destination { .. }) => {
                            if let Some(target) = out.targets.last_mut() {
                                target.shown.push(c);
                                if before_value {
                                    target.start.push(c);
                                }
                            }
                        }
                        _ => out.text.push(c),
                    }
                }
            }
            Piece::Open(_) | Piece::Close(_) => {}
            Piece::Field(ph) => {
                escaped = false;
                let (_, after) = state.placeholder();
                if let (State::Destination { .. }, Some(target)) = (state, out.targets.last_mut()) {
                    target.shown.push_str(&format!("{{{}}}", ph.name));
                    if before_value {
                        target.value_first =
                            target.start.trim_start_matches([' ', '\t', '<']).is_empty();
                    }
                    before_value = false;
                } else {
                    out.text.push(Outline::VALUE);
                }
                state = after;
            }
        }
    }
    out
}

pub fn spots(pieces: &[Piece]) -> Vec<Spot> {
    let mut state = State::TEXT;
    let mut escaped = false;
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Lit(text) => {
                for c in text.chars() {
                    state = state.after(c, escaped);
                    escaped = c == '\\' && !escaped;
                }
                Spot::Text
            }
            Piece::Open(_) | Piece::Close(_) => Spot::Text,
            Piece::Field(_) => {
                escaped = false;
                let (spot, after) = state.placeholder();
                state = after;
                spot
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn outlines_text_and_targets() {
        let (pieces, errors) =
            scan("**{a}** [x](/orders/{id}) `c` ![]({img}) [y]( <https://e.example/{p}> \"t\")");
        assert!(errors.is_empty(), "{errors:?}");
        let outline = outline(&pieces);
        assert_eq!(outline.text, "**\u{FFFC}** [x]() `c` ![]() [y]( \"t\")");
        let targets: Vec<(&str, &str, bool)> = outline
            .targets
            .iter()
            .map(|t| (t.start.as_str(), t.shown.as_str(), t.value_first))
            .collect();
        assert_eq!(
            targets,
            [
                ("/orders/", "/orders/{id}", false),
                ("", "{img}", true),
                (" <https://e.example/", " <https://e.example/{p}>", false),
            ]
        );
    }

    use super::super::scan::scan;
    use super::*;

    /// The spot of each placeholder of `template`.
    fn placeholder_spots(template: &str) -> Vec<Spot> {
        let (pieces, errors) = scan(template);
        assert!(errors.is_empty(), "{errors:?}");
        spots(&pieces)
            .into_iter()
            .zip(&pieces)
            .filter(|(_, piece)| matches!(piece, Piece::Field(_)))
            .map(|(spot, _)| spot)
            .collect()
    }

    use Spot::{Text, Title, Url, UrlPart};

    #[test]
    fn a_placeholder_that_is_the_whole_destination_is_a_url() {
        assert_eq!(placeholder_spots("[Open]({url})"), [Url]);
        assert_eq!(placeholder_spots("![]({chart})"), [Url]);
        assert_eq!(placeholder_spots("[Open]( {url} )"), [Url]);
        assert_eq!(placeholder_spots("[Open](<{url}>)"), [Url]);
        assert_eq!(placeholder_spots("[![]({img})]({url})"), [Url, Url]);
    }

    #[test]
    fn a_placeholder_after_url_text_is_a_url_part() {
        assert_eq!(
            placeholder_spots("[Order](https://crm.example.com/orders/{id})"),
            [UrlPart]
        );
        assert_eq!(
            placeholder_spots("[x]({base}/{path}?q={q})"),
            [Url, UrlPart, UrlPart]
        );
        assert_eq!(placeholder_spots("[x]({base}{path})"), [Url, UrlPart]);
        assert_eq!(
            placeholder_spots("[Wiki](https://w.example/Foo_(bar)/{page})"),
            [UrlPart]
        );
        assert_eq!(placeholder_spots("![](<https://a.example/{x}>)"), [UrlPart]);
    }

    #[test]
    fn placeholders_outside_destinations_are_text() {
        assert_eq!(placeholder_spots("Order {id} failed"), [Text]);
        assert_eq!(
            placeholder_spots("[{label}]({url}) for {customer}"),
            [Text, Url, Text]
        );
        assert_eq!(placeholder_spots("[x](https://a/(b)) {v}"), [Text]);
        assert_eq!(placeholder_spots("(see {v})"), [Text]);
        assert_eq!(placeholder_spots("a]{v}({w})"), [Text, Text]);
    }

    #[test]
    fn escapes_titles_and_line_breaks_end_nothing_or_the_destination() {
        assert_eq!(placeholder_spots(r"\]({v})"), [Text]);
        assert_eq!(placeholder_spots(r"\\]({v})"), [Url]);
        assert_eq!(placeholder_spots(r"[x](a\)b{v})"), [UrlPart]);
        assert_eq!(
            placeholder_spots("[x](https://a \"{title}\") {v}"),
            [Title, Text]
        );
        assert_eq!(placeholder_spots("[x](<{url}> '{t}')"), [Url, Title]);
        assert_eq!(placeholder_spots("[x](\n{v})"), [Text]);
    }
}
