//! [`At`]: who a text or markdown message mentions.

use serde::{Deserialize, Serialize};

/// The people a text or markdown message mentions: the `at` object beside the body.
///
/// Only [`Text`](crate::Text) and [`Markdown`](crate::Markdown) carry one; the other
/// message types cannot mention anyone, and their types have no way to say so.
///
/// A mention notifies only when `@<mobile>` or `@<userId>` also appears in the body;
/// dingbot adds the missing ones when it builds the request (see
/// [`Payload`](crate::Payload)).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct At {
    #[serde(rename = "atMobiles", default, skip_serializing_if = "Vec::is_empty")]
    mobiles: Vec<String>,
    #[serde(rename = "atUserIds", default, skip_serializing_if = "Vec::is_empty")]
    user_ids: Vec<String>,
    #[serde(rename = "isAtAll", default)]
    all: bool,
}

impl At {
    /// Mentions of these mobile numbers, to add to a message when it is sent
    /// ([`Message::with_at`](crate::Message::with_at)).
    ///
    /// ```
    /// use dingbot::At;
    ///
    /// let oncall = ["13800000000", "13900000000"];
    /// let at = At::mobiles(oncall).and(At::user_ids(["manager4220"]));
    /// assert_eq!(at.get_mobiles(), oncall);
    /// assert_eq!(at.get_user_ids(), ["manager4220"]);
    /// ```
    pub fn mobiles<I, S>(mobiles: I) -> At
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut at = At::default();
        at.add_mobiles(mobiles);
        at
    }

    /// Mentions of these DingTalk user ids.
    pub fn user_ids<I, S>(ids: I) -> At
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut at = At::default();
        at.add_user_ids(ids);
        at
    }

    /// A mention of everyone in the group.
    pub fn all() -> At {
        At {
            all: true,
            ..At::default()
        }
    }

    /// Nobody: the same as `At::default()`.
    pub fn none() -> At {
        At::default()
    }

    /// Everyone this mentions, and everyone `other` does.
    #[must_use]
    pub fn and(mut self, other: At) -> At {
        self.merge(&other);
        self
    }

    /// Mobile numbers to mention (`atMobiles`).
    pub fn get_mobiles(&self) -> &[String] {
        &self.mobiles
    }

    /// DingTalk user ids to mention (`atUserIds`).
    pub fn get_user_ids(&self) -> &[String] {
        &self.user_ids
    }

    /// Whether everyone in the group is mentioned (`isAtAll`).
    pub fn is_all(&self) -> bool {
        self.all
    }

    /// True when nobody is mentioned; the `at` object is then left out of the JSON.
    pub fn is_empty(&self) -> bool {
        self.mobiles.is_empty() && self.user_ids.is_empty() && !self.all
    }

    pub(crate) fn add_mobiles<I, S>(&mut self, mobiles: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        extend_unique(&mut self.mobiles, mobiles);
    }

    pub(crate) fn add_user_ids<I, S>(&mut self, ids: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        extend_unique(&mut self.user_ids, ids);
    }

    pub(crate) fn set_all(&mut self, all: bool) {
        self.all = all;
    }

    /// Adds everyone `other` mentions (used when merging messages into a digest).
    pub fn merge(&mut self, other: &At) {
        self.add_mobiles(other.mobiles.iter().cloned());
        self.add_user_ids(other.user_ids.iter().cloned());
        self.all |= other.all;
    }

    /// The ids (mobiles, then user ids) whose `@id` is not yet in `body`.
    pub(crate) fn missing_in<'a>(&'a self, body: &str) -> Vec<&'a str> {
        self.mobiles
            .iter()
            .chain(&self.user_ids)
            .map(String::as_str)
            .filter(|id| !mentions(body, id))
            .collect()
    }
}

/// The mention builders and getter of a message type that has an `at: At` field (text
/// and markdown; the card types have none, so they cannot mention anyone).
macro_rules! mention_builders {
    ($ty:ident, $body:ident, $separator:literal, $example:literal) => {
        impl $ty {
            /// Mentions these mobile numbers (adds to any already mentioned).
            #[must_use]
            pub fn at_mobiles<I, S>(mut self, mobiles: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                self.at.add_mobiles(mobiles);
                self
            }

            /// Mentions these DingTalk user ids (adds to any already mentioned).
            #[must_use]
            pub fn at_user_ids<I, S>(mut self, ids: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                self.at.add_user_ids(ids);
                self
            }

            /// Mentions everyone in the group.
            #[must_use]
            pub fn at_all(mut self) -> Self {
                self.at.set_all(true);
                self
            }

            /// Who is mentioned.
            pub fn at(&self) -> &At {
                &self.at
            }

            /// Also mentions everyone `at` mentions, and writes each `@mobile` /
            /// `@userId` that is not in the body yet into it, so that they are notified:
            /// for mentions decided when the message is sent (an on-call rotation, a
            /// route), not by the event.
            ///
            /// ```
            #[doc = concat!("use dingbot::{At, ", stringify!($ty), "};")]
            ///
            #[doc = concat!("let msg = ", stringify!($ty), "::new(", $example, ")")]
            ///     .with_at(At::mobiles(["13800000000"]));
            /// assert!(msg.at().get_mobiles().contains(&"13800000000".to_owned()));
            #[doc = concat!("assert!(msg.", stringify!($body), "().ends_with(\"@13800000000\"));")]
            /// ```
            #[must_use]
            pub fn with_at(mut self, at: At) -> Self {
                self.at.merge(&at);
                if let Some(body) = super::at::body_with_mentions(&self.$body, &self.at, $separator)
                {
                    self.$body = body;
                }
                self
            }
        }
    };
}
pub(crate) use mention_builders;

/// `body` with `@id` appended for every id of `at` it does not mention yet (after
/// `separator`), or `None` when none is missing.
pub(super) fn body_with_mentions(body: &str, at: &At, separator: &str) -> Option<String> {
    let missing = at.missing_in(body);
    if missing.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(body.len() + missing.len() * 14 + 2);
    out.push_str(body);
    if !body.is_empty() && !body.ends_with(char::is_whitespace) {
        out.push_str(separator);
    } else if separator == "\n\n" && !body.is_empty() && !body.ends_with("\n\n") {
        out.push('\n');
    }
    write_mentions(&mut out, missing);
    Some(out)
}

/// Adds the trimmed, non-empty values not already present, keeping order.
fn extend_unique<I, S>(list: &mut Vec<String>, values: I)
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    for value in values {
        push_unique(list, &value.into());
    }
}

/// Adds one id, trimmed, unless it is empty or already there: the one normaliser of
/// mention ids, for the builders and for derived messages alike.
pub(crate) fn push_unique(list: &mut Vec<String>, id: &str) {
    let id = id.trim();
    if !id.is_empty() && !list.iter().any(|known| known == id) {
        list.push(id.to_owned());
    }
}

/// Whether `id` can be written into a body as `@id`: one plain token of letters,
/// digits, `+`, `-`, `_` and `.`, starting with a letter, a digit or `+`, at most 64
/// bytes, with every `_` between two letters or digits (elsewhere a pair of them would
/// be emphasis in markdown). Anything else could inject markdown, or would mention
/// nobody.
pub(crate) fn is_mention_id(id: &str) -> bool {
    let first_ok = id
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '+');
    if !first_ok || id.len() > 64 {
        return false;
    }
    let mut previous: Option<char> = None;
    let mut chars = id.chars().peekable();
    while let Some(c) = chars.next() {
        let allowed = match c {
            '_' => {
                previous.is_some_and(char::is_alphanumeric)
                    && chars.peek().is_some_and(|n| n.is_alphanumeric())
            }
            '+' | '-' | '.' => true,
            c => c.is_alphanumeric(),
        };
        if !allowed {
            return false;
        }
        previous = Some(c);
    }
    true
}

/// Writes `@a @b ...`: the one renderer of mentions into a body.
pub(crate) fn write_mentions<I>(out: &mut String, ids: I)
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    for (i, id) in ids.into_iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push('@');
        out.push_str(id.as_ref());
    }
}

/// Whether `body` holds `@id` not followed by more of an id (so `@138` is not found in
/// `@1380`).
pub(crate) fn mentions(body: &str, id: &str) -> bool {
    let mut rest = body;
    while let Some(pos) = rest.find('@') {
        let after = &rest[pos + 1..];
        if let Some(tail) = after.strip_prefix(id) {
            let continues = tail
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
            if !continues {
                return true;
            }
        }
        rest = after;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mention_boundaries() {
        assert!(mentions("hi @138", "138"));
        assert!(mentions("@138, please", "138"));
        assert!(!mentions("@1380", "138"));
        assert!(!mentions("138", "138"));
        assert!(mentions("@1380 @138", "138"));
        assert!(mentions("@用户", "用户"));
    }

    #[test]
    fn mention_ids_cannot_hold_markdown() {
        for ok in [
            "13800000000",
            "+8613800000000",
            "manager4220",
            "user_name",
            "a.b-c",
        ] {
            assert!(is_mention_id(ok), "{ok}");
        }
        for bad in [
            "",
            "_x",
            "x_",
            "+_0_",
            "user._admin_",
            "a__b",
            "a b",
            "a*b",
            "@x",
        ] {
            assert!(!is_mention_id(bad), "{bad}");
        }
    }

    #[test]
    fn unique_and_trimmed() {
        let mut at = At::default();
        at.add_mobiles([" 1 ", "1", "", "2"]);
        assert_eq!(at.get_mobiles(), ["1", "2"]);
    }
}
