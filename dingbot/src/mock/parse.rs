//! Reading a request body as DingTalk does: a JSON object with a supported `msgtype`,
//! its required fields present, and its `msgUuid`.

use serde::Deserialize;

use super::errmsg::Rejection;
use crate::dingtalk::MSGTYPES;
use crate::message::Message;

/// A request that passed every check that depends on the request alone.
pub(crate) struct Valid {
    pub(crate) message: Message,
    pub(crate) msg_uuid: Option<String>,
}

/// The two fields read before the message itself: what kind it is and its idempotency key.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    msgtype: Option<serde_json::Value>,
    #[serde(default, rename = "msgUuid")]
    msg_uuid: Option<serde_json::Value>,
}

impl Probe {
    /// Reads the two fields of a JSON object (not of an array, which serde would accept).
    fn read(body: &[u8]) -> Option<Probe> {
        if body.trim_ascii_start().first() != Some(&b'{') {
            return None;
        }
        serde_json::from_slice(body).ok()
    }
}

/// The `msgUuid` of a body, if it is a JSON object with a string `msgUuid`.
pub(crate) fn msg_uuid_of(body: &[u8]) -> Option<String> {
    let probe = Probe::read(body)?;
    match probe.msg_uuid? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    }
}

/// Parses and validates the body as DingTalk would.
pub(crate) fn parse(body: &[u8]) -> Result<Valid, Rejection> {
    let missing = |name: &str| Rejection::MissingParam(name.to_owned());
    let probe = Probe::read(body).ok_or_else(|| missing("json"))?;
    match &probe.msgtype {
        None | Some(serde_json::Value::Null) => return Err(missing("msgtype")),
        Some(serde_json::Value::String(t)) if MSGTYPES.contains(&t.as_str()) => {}
        Some(serde_json::Value::String(t)) => {
            return Err(Rejection::UnsupportedMsgtype(t.clone()));
        }
        Some(_) => return Err(Rejection::IllegalParam("msgtype".into())),
    }
    let message: Message = serde_json::from_slice(body).map_err(|e| {
        let text = e.to_string();
        match text
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split_once('`'))
        {
            Some((field, _)) => missing(field),
            None => Rejection::IllegalParam(text),
        }
    })?;
    if let Some(field) = missing_field(&message) {
        return Err(missing(&field));
    }
    let msg_uuid = match probe.msg_uuid {
        Some(serde_json::Value::String(s)) => Some(s),
        _ => None,
    };
    Ok(Valid { message, msg_uuid })
}

/// The first required field that is empty, as DingTalk checks a request: only presence.
/// What DingTalk accepts is accepted here too, though a client should not send it: a
/// mobile number that is nobody's (it answers errcode 0), `btns` beside a single button
/// (they are ignored), a URL of an odd shape.
fn missing_field(message: &Message) -> Option<String> {
    let empty = |s: &str| s.trim().is_empty();
    let first =
        |fields: Vec<(String, &str)>| fields.into_iter().find(|(_, v)| empty(v)).map(|(k, _)| k);
    match message {
        Message::Text(m) => first(vec![("text.content".into(), m.content())]),
        Message::Markdown(m) => first(vec![
            ("markdown.title".into(), m.title()),
            ("markdown.text".into(), m.text()),
        ]),
        Message::Link(m) => first(vec![
            ("link.title".into(), m.title()),
            ("link.text".into(), m.text()),
            ("link.messageUrl".into(), m.message_url()),
        ]),
        Message::ActionCard(m) => {
            let mut fields = vec![
                ("actionCard.title".into(), m.title()),
                ("actionCard.text".into(), m.text()),
            ];
            if let Some(single) = m.get_single_button() {
                fields.push(("actionCard.singleTitle".into(), single.title()));
                fields.push(("actionCard.singleURL".into(), single.action_url()));
            } else if m.buttons().is_empty() {
                return Some("actionCard.btns".into());
            } else {
                for (i, b) in m.buttons().iter().enumerate() {
                    fields.push((format!("actionCard.btns[{i}].title"), b.title()));
                    fields.push((format!("actionCard.btns[{i}].actionURL"), b.action_url()));
                }
            }
            first(fields)
        }
        Message::FeedCard(m) => {
            if m.links().is_empty() {
                return Some("feedCard.links".into());
            }
            first(
                m.links()
                    .iter()
                    .enumerate()
                    .flat_map(|(i, l)| {
                        [
                            (format!("feedCard.links[{i}].title"), l.title()),
                            (format!("feedCard.links[{i}].messageURL"), l.message_url()),
                            (format!("feedCard.links[{i}].picURL"), l.pic_url()),
                        ]
                    })
                    .collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_name_the_parameter() {
        let err = |body: &str| parse(body.as_bytes()).err().unwrap();
        assert_eq!(err("{"), Rejection::MissingParam("json".into()));
        assert_eq!(err("[1]"), Rejection::MissingParam("json".into()));
        assert_eq!(err("{}"), Rejection::MissingParam("msgtype".into()));
        assert_eq!(
            err(r#"{"msgtype":"image"}"#),
            Rejection::UnsupportedMsgtype("image".into())
        );
        assert_eq!(
            err(r#"{"msgtype":7}"#),
            Rejection::IllegalParam("msgtype".into())
        );
        assert_eq!(
            err(r#"{"msgtype":"text"}"#),
            Rejection::MissingParam("text".into())
        );
        assert_eq!(
            err(r#"{"msgtype":"markdown","markdown":{"title":"t"}}"#),
            Rejection::MissingParam("text".into())
        );
        assert_eq!(
            err(r#"{"msgtype":"text","text":{"content":"  "}}"#),
            Rejection::MissingParam("text.content".into())
        );
        assert_eq!(
            err(r#"{"msgtype":"actionCard","actionCard":{"title":"t","text":"x"}}"#),
            Rejection::MissingParam("actionCard.btns".into())
        );
        // What DingTalk accepts though a careful client would not send it.
        for body in [
            r#"{"msgtype":"link","link":{"title":"t","text":"x","messageUrl":"ftp://x"}}"#,
            r#"{"msgtype":"text","text":{"content":"x"},"at":{"atMobiles":["138 0000 0000"]}}"#,
            r#"{"msgtype":"actionCard","actionCard":{"title":"t","text":"x","singleTitle":"a","singleURL":"https://a","btns":[{"title":"b","actionURL":"https://b"}]}}"#,
        ] {
            assert!(parse(body.as_bytes()).is_ok(), "{body}");
        }
    }
}
