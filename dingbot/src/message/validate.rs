//! The checks a message passes before it is sent: what DingTalk would reject or
//! silently mangle.

use super::At;
use super::at::is_mention_id;
use crate::error::Error;

/// Mobile numbers and user ids are written into the body as `@id`, so each must be an
/// id [`is_mention_id`] accepts.
pub(crate) fn check_mentions(at: &At) -> Result<(), Error> {
    let lists = [
        ("at.atMobiles", at.get_mobiles()),
        ("at.atUserIds", at.get_user_ids()),
    ];
    for (key, ids) in lists {
        if let Some(i) = ids.iter().position(|id| !is_mention_id(id)) {
            return Err(Error::InvalidMessage {
                field: format!("{key}[{i}]"),
                reason:
                    "is not a mobile number or user id (letters, digits, `+-_.` with `_` only inside a word, at most 64 bytes)"
                        .into(),
            });
        }
    }
    Ok(())
}

pub(crate) fn check_text(field: &str, value: &str) -> Result<(), Error> {
    if is_blank(value) {
        return Err(Error::InvalidMessage {
            field: field.to_owned(),
            reason: "is empty".into(),
        });
    }
    Ok(())
}

/// Whether a reader would see nothing: only whitespace and invisible format characters
/// (zero-width spaces and joiners, direction marks, the BOM, soft hyphens).
fn is_blank(value: &str) -> bool {
    value.chars().all(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{AD}'
                    | '\u{34F}'
                    | '\u{180E}'
                    | '\u{200B}'..='\u{200F}'
                    | '\u{202A}'..='\u{202E}'
                    | '\u{2060}'..='\u{2064}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{FEFF}'
            )
    })
}

/// A URL as it will be sent: without the whitespace a copy and paste brings along.
pub(crate) fn trimmed(url: impl Into<String>) -> String {
    let url = url.into();
    match url.trim() {
        t if t.len() == url.len() => url,
        t => t.to_owned(),
    }
}

pub(crate) fn check_url(field: &str, value: &str) -> Result<(), Error> {
    check_text(field, value)?;
    let bad = |reason: &str| Error::InvalidMessage {
        field: field.to_owned(),
        reason: reason.to_owned(),
    };
    if value.trim() != value {
        return Err(bad("has leading or trailing whitespace"));
    }
    if url::Url::parse(value).is_err() {
        return Err(bad("is not an absolute URL"));
    }
    if !crate::markdown::is_linkable(value) {
        return Err(bad("must be an http(s):// or dingtalk:// URL"));
    }
    Ok(())
}
