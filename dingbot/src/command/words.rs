//! What a person wrote, as words: the robot's own @-mention and a leading `/` dropped,
//! quotes honoured.

use super::error::{CommandError, Problem};

/// The words of `text`: split at whitespace (the full-width space too), a run in
/// `"…"`, `'…'`, `“…”` or `‘…’` one word with its spaces; leading `@name` words (the
/// robot's mention, which DingTalk may leave in the text) and one leading `/` dropped.
pub(super) fn words(text: &str) -> Result<Vec<String>, CommandError> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<(char, usize)> = None;
    for (at, c) in text.char_indices() {
        if let Some((close, _)) = quote {
            if c == close {
                quote = None;
            } else {
                word.push(c);
            }
            continue;
        }
        if let Some(close) = closing_quote(c) {
            quote = Some((close, at));
            in_word = true;
        } else if c.is_whitespace() {
            if in_word {
                words.push(std::mem::take(&mut word));
                in_word = false;
            }
        } else {
            word.push(c);
            in_word = true;
        }
    }
    if let Some((close, at)) = quote {
        let opened = text[at..].chars().next().unwrap_or(close);
        return Err(CommandError::new(Problem::UnclosedQuote { quote: opened }));
    }
    if in_word {
        words.push(word);
    }
    let mentions = words
        .iter()
        .take_while(|w| w.starts_with('@') || w.starts_with('＠'))
        .count();
    words.drain(..mentions);
    if let Some(first) = words.first_mut()
        && let Some(rest) = first.strip_prefix('/')
    {
        *first = rest.to_owned();
        if first.is_empty() {
            words.remove(0);
        }
    }
    Ok(words)
}

/// The quote that closes one opened by `c`, if `c` opens one.
fn closing_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '\'' => Some('\''),
        '“' => Some('”'),
        '‘' => Some('’'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn quotes_mentions_and_slashes() {
        let w = |t: &str| words(t).unwrap();
        assert_eq!(
            w("@robot silence HighLatency 2h"),
            ["silence", "HighLatency", "2h"]
        );
        assert_eq!(w("  /silence  'a b'  “c d” "), ["silence", "a b", "c d"]);
        assert_eq!(w("say \"\" x"), ["say", "", "x"]);
        assert_eq!(w("say don\"t stop\""), ["say", "dont stop"]);
        assert_eq!(w("＠机器人\u{3000}alerts"), ["alerts"]);
        assert_eq!(w("@a @b"), Vec::<String>::new());
        assert!(words("say \"open").is_err());
    }
}
