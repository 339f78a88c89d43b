//! A message's summary: a `summary` template's text made one line ([`one_line`]), or the
//! trait's default for a variant without one ([`default_summary`]).

use crate::DingMessage;

/// `text` as one line, by the rule of [`DingMessage::summary`]'s default: every run of
/// whitespace, line breaks included, one space, and none at the ends; `None` when
/// nothing is left.
pub fn one_line(text: String) -> Option<String> {
    let tidy = text.split(' ').all(|word| !word.is_empty())
        && !text.contains(|c: char| c.is_whitespace() && c != ' ');
    if tidy {
        return Some(text);
    }
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!line.is_empty()).then_some(line)
}

/// The trait's default summary (the title), for an enum variant without a `summary`.
pub fn default_summary<M: DingMessage + ?Sized>(message: &M) -> Option<String> {
    message.to_message().summary()
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn one_line_joins_lines_and_trims() {
        assert_eq!(
            one_line("SO-1 Ada: 42".into()).as_deref(),
            Some("SO-1 Ada: 42")
        );
        assert_eq!(
            one_line(" SO-1  Ada\r\nLovelace:\u{2028}42 ".into()).as_deref(),
            Some("SO-1 Ada Lovelace: 42")
        );
        assert_eq!(one_line(String::new()), None);
        assert_eq!(one_line(" \n ".into()), None);
    }
}
