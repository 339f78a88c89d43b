//! A robot's keywords (DingTalk's 自定义关键词 security setting): DingTalk's rule — which
//! texts of a message it searches — written once for the robot and the emulator,
//! knowing it before DingTalk refuses, and making a message carry a keyword when asked to.

use crate::dingtalk::MAX_KEYWORDS;
use crate::error::Error;
use crate::message::Message;

/// The keywords a robot requires, and whether a message without one gets one added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Keywords {
    words: Vec<String>,
    ensure: bool,
}

impl Keywords {
    /// Checks the keywords as DingTalk's settings do: at most [`MAX_KEYWORDS`], none
    /// empty. Keywords are trimmed.
    pub(crate) fn new<I, S>(words: I, ensure: bool) -> Result<Keywords, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let words: Vec<String> = words
            .into_iter()
            .map(|w| w.as_ref().trim().to_owned())
            .collect();
        let invalid = |reason: String| Error::InvalidKeywords { reason };
        if words.len() > MAX_KEYWORDS {
            return Err(invalid(format!(
                "DingTalk allows at most {MAX_KEYWORDS} keywords, {} were given",
                words.len()
            )));
        }
        if let Some(i) = words.iter().position(String::is_empty) {
            return Err(invalid(format!("keyword {} is empty", i + 1)));
        }
        Ok(Keywords { words, ensure })
    }

    /// The keywords, trimmed.
    pub(crate) fn words(&self) -> &[String] {
        &self.words
    }

    /// Whether a message must hold a keyword.
    pub(crate) fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The message as it may be sent: as it is when it holds a keyword where DingTalk
    /// looks (or no keyword is required); with the first keyword added when the robot
    /// ensures one; else [`Error::KeywordsMissing`], before anything is sent.
    pub(crate) fn apply(&self, mut msg: Message) -> Result<Message, Error> {
        if self.is_empty() || contains_keyword(&msg, &self.words) {
            return Ok(msg);
        }
        if self.ensure {
            add_keyword(&mut msg, &self.words[0]);
            return Ok(msg);
        }
        Err(self.missing())
    }

    /// `msg` holding a keyword, the first one added when it has none (for the digest's
    /// summaries, which always carry one).
    pub(crate) fn ensure(&self, mut msg: Message) -> Message {
        if !self.is_empty() && !contains_keyword(&msg, &self.words) {
            add_keyword(&mut msg, &self.words[0]);
        }
        msg
    }

    /// The error for a message that holds none of the keywords.
    pub(crate) fn missing(&self) -> Error {
        Error::KeywordsMissing {
            errmsg: format!(
                "refused before sending: the message contains none of the robot's keywords ({}); \
                 add one, or build the robot with ensure_keyword(true)",
                self.words.join(", ")
            ),
        }
    }
}

/// Whether the text a reader sees holds at least one of `keywords`: the one definition
/// of DingTalk's keyword rule, for the robot's check and the emulator's alike.
pub(crate) fn contains_keyword(message: &Message, keywords: &[String]) -> bool {
    let visible = visible_text(message);
    keywords
        .iter()
        .any(|k| visible.iter().any(|text| text.contains(k.as_str())))
}

/// The texts DingTalk shows for a message, where it looks for the robot's keywords.
fn visible_text(message: &Message) -> Vec<&str> {
    match message {
        Message::Text(m) => vec![m.content()],
        Message::Markdown(m) => vec![m.title(), m.text()],
        Message::Link(m) => vec![m.title(), m.text()],
        Message::ActionCard(m) => {
            let mut texts = vec![m.title(), m.text()];
            texts.extend(m.get_single_button().map(|b| b.title()));
            texts.extend(m.buttons().iter().map(|b| b.title()));
            texts
        }
        Message::FeedCard(m) => m.links().iter().map(|l| l.title()).collect(),
    }
}

/// `msg` carrying `keyword` where DingTalk looks for it: as it is when it holds the
/// keyword already, else with it added (see [`add_keyword`]).
pub(crate) fn carry(mut msg: Message, keyword: &str) -> Message {
    if !contains_keyword(&msg, &[keyword.to_owned()]) {
        add_keyword(&mut msg, keyword);
    }
    msg
}

/// Puts `keyword` where DingTalk looks for it and a reader sees it first: before a
/// text message's content, before the title of the other types (the first entry's
/// title for a feed card).
fn add_keyword(msg: &mut Message, keyword: &str) {
    let prefix = |text: &mut String| *text = format!("{keyword} {text}");
    match msg {
        Message::Text(m) => prefix(&mut m.content),
        Message::Markdown(m) => prefix(&mut m.title),
        Message::Link(m) => prefix(&mut m.title),
        Message::ActionCard(m) => prefix(&mut m.title),
        Message::FeedCard(m) => {
            if let Some(first) = m.links.first_mut() {
                first.prefix_title(keyword);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ActionCard, FeedCard, Link, Markdown, Text};

    #[test]
    fn settings_are_checked_like_dingtalks() {
        assert!(Keywords::new(["告警", " alert "], false).is_ok());
        assert!(matches!(
            Keywords::new(["a", " "], false),
            Err(Error::InvalidKeywords { .. })
        ));
        assert!(Keywords::new((0..11).map(|i| i.to_string()), false).is_err());
    }

    #[test]
    fn a_message_without_a_keyword_is_refused_or_given_one() {
        let strict = Keywords::new(["告警"], false).unwrap();
        let err = strict.apply(Text::new("disk full").into()).unwrap_err();
        assert!(matches!(err, Error::KeywordsMissing { .. }));
        assert!(err.to_string().contains("告警"), "{err}");
        assert!(strict.apply(Text::new("告警: disk full").into()).is_ok());

        let ensuring = Keywords::new(["告警", "alert"], true).unwrap();
        let messages: Vec<Message> = vec![
            Text::new("disk full").into(),
            Markdown::new("Disk", "full").into(),
            Link::new("Disk", "full", "https://a.example").into(),
            ActionCard::new("Disk", "full")
                .single_button("Open", "https://a.example")
                .into(),
            FeedCard::new()
                .link("Disk", "https://a.example", "https://a.example/p.png")
                .into(),
        ];
        for msg in messages {
            let sent = ensuring.apply(msg.clone()).unwrap();
            assert!(contains_keyword(&sent, ensuring.words()), "{sent:?}");
            assert_ne!(sent, msg);
        }
        let already: Message = Markdown::new("alert: disk", "full").into();
        assert_eq!(ensuring.apply(already.clone()).unwrap(), already);
    }
}
