//! [`Payload`]: a message checked, completed and encoded for sending.

use crate::dingtalk::MAX_BODY_BYTES;
use crate::error::Error;
use crate::message::Wire;
use crate::message::{DingMessage, Message};

/// A message ready to send: validated, with every mention written into the body, encoded
/// as DingTalk's JSON with a fresh `msgUuid`, and within [`MAX_BODY_BYTES`].
///
/// [`Robot::send`](crate::Robot::send) builds one for every message; build one yourself to
/// check a message without sending it. Retries reuse the same payload, so DingTalk sees
/// the same `msgUuid` and never posts a message twice.
///
/// ```
/// use dingbot::{Error, Payload, Text};
///
/// let payload = Payload::new(&Text::new("hello @138").at_mobiles(["138", "139"]))?;
/// let json: serde_json::Value = serde_json::from_slice(payload.body())?;
/// assert_eq!(json["text"]["content"], "hello @138 @139");
/// assert_eq!(json["msgUuid"], payload.msg_uuid());
///
/// let huge = Text::new("x".repeat(30_000));
/// assert!(matches!(Payload::new(&huge), Err(Error::MessageTooLarge { limit: 20_000, .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Payload {
    body: bytes::Bytes,
    msg_uuid: String,
}

impl Payload {
    /// Encodes a message with a fresh random `msgUuid`.
    pub fn new(msg: &(impl DingMessage + ?Sized)) -> Result<Payload, Error> {
        Self::with_msg_uuid(&msg.to_message(), uuid::Uuid::new_v4().simple().to_string())
    }

    /// Encodes a message with the given `msgUuid` (an idempotency key: DingTalk posts a
    /// message with a `msgUuid` it has seen before only once).
    pub fn with_msg_uuid(msg: &Message, msg_uuid: impl Into<String>) -> Result<Payload, Error> {
        let msg_uuid = msg_uuid.into();
        msg.validate()?;
        let body = msg.body_with_mentions();
        let mut wire = Wire::new(msg.as_ref()).with_msg_uuid(&msg_uuid);
        if let Some(body) = &body {
            wire = wire.with_body(body);
        }
        let bytes = serde_json::to_vec(&wire).map_err(|e| Error::InvalidMessage {
            field: msg.msgtype().to_owned(),
            reason: format!("cannot be encoded as JSON: {e}"),
        })?;
        if bytes.len() > MAX_BODY_BYTES {
            return Err(Error::MessageTooLarge {
                size: bytes.len(),
                limit: MAX_BODY_BYTES,
            });
        }
        Ok(Payload {
            body: bytes.into(),
            msg_uuid,
        })
    }

    /// The JSON request body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The JSON request body, shared (cloning it copies nothing).
    pub(crate) fn shared_body(&self) -> bytes::Bytes {
        self.body.clone()
    }

    /// The body's size in bytes (at most [`MAX_BODY_BYTES`]).
    pub fn len(&self) -> usize {
        self.body.len()
    }

    /// Whether the body is empty, which a payload built from a message never is (every
    /// message encodes to at least its `msgtype`).
    pub fn is_empty(&self) -> bool {
        self.body.is_empty()
    }

    /// The idempotency key sent as `msgUuid`.
    pub fn msg_uuid(&self) -> &str {
        &self.msg_uuid
    }
}
