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
