//! DingTalk's rules, in DingTalk's order: first the checks that depend on the request
//! alone ([`Config::check`]), then the ones that depend on the robot's history
//! ([`State::admit`]: throttle, duplicate `msgUuid`, rate window).

use std::collections::{HashSet, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::errmsg::{ErrmsgStyle, Rejection};
use super::{Fault, RecordedRequest};
use crate::clock::Clock;
use crate::dingtalk::{self, MAX_BODY_BYTES, MSGTYPES, TIMESTAMP_TOLERANCE};
use crate::keywords;
use crate::message::Message;

/// `max` messages per `per`, sliding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RateLimit {
    pub(crate) max: u32,
    pub(crate) per: Duration,
}

/// The robot's settings, fixed when the emulator starts.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) token: String,
    pub(crate) secret: Option<String>,
    pub(crate) keywords: Vec<String>,
    pub(crate) allowed_ips: Vec<IpAddr>,
    pub(crate) rate_limit: Option<RateLimit>,
    pub(crate) throttle_for: Duration,
    pub(crate) clock: Clock,
    pub(crate) style: ErrmsgStyle,
    /// Whether `/` serves the preview page.
    pub(crate) preview: bool,
}

/// The parts of a request the rules look at.
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a str,
    pub(crate) query: &'a str,
    pub(crate) peer: IpAddr,
    pub(crate) body: &'a [u8],
    /// The body was too large (or broken) to be read whole.
    pub(crate) unreadable_body: bool,
}

/// A request that passed every check that depends on the request alone.
pub(crate) struct Valid {
    pub(crate) message: Message,
    pub(crate) msg_uuid: Option<String>,
}

/// The query parameters the rules use, decoded once (as DingTalk decodes them).
#[derive(Default)]
struct Params {
    access_token: Option<String>,
    timestamp: Option<String>,
    sign: Option<String>,
}

impl Params {
    fn parse(query: &str) -> Params {
        let mut params = Params::default();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let slot = match &*key {
                "access_token" => &mut params.access_token,
                "timestamp" => &mut params.timestamp,
                "sign" => &mut params.sign,
                _ => continue,
            };
            // The first occurrence wins, as in most servlet containers.
            if slot.is_none() {
                *slot = Some(value.into_owned());
            }
        }
        params
    }
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

impl Config {
    /// The checks that depend on the request alone, in DingTalk's order: method, token,
    /// IP allow-list, signature, size, JSON and message validity, keywords.
    pub(crate) fn check(&self, req: &Incoming<'_>) -> Result<Valid, Rejection> {
        if req.method != "POST" {
            return Err(Rejection::PostRequired);
        }
        let params = Params::parse(req.query);
        if params.access_token.as_deref() != Some(self.token.as_str()) {
            return Err(Rejection::TokenNotExist);
        }
        if !self.allowed_ips.is_empty() && !self.allowed_ips.contains(&req.peer) {
            return Err(Rejection::IpNotAllowed(req.peer));
        }
        if let Some(secret) = &self.secret {
            self.check_signature(secret, &params)?;
        }
        self.check_content(req.body, req.unreadable_body)
    }

    /// The checks on the body alone, the last of [`check`](Self::check): size, JSON and
    /// message validity, keywords. The preview's paste box judges a payload by these.
    pub(crate) fn check_content(
        &self,
        body: &[u8],
        unreadable_body: bool,
    ) -> Result<Valid, Rejection> {
        if unreadable_body || body.len() > MAX_BODY_BYTES {
            return Err(Rejection::TooBig);
        }
        let valid = parse(body)?;
        if !self.keywords.is_empty() && !keywords::contains_keyword(&valid.message, &self.keywords)
        {
            return Err(Rejection::KeywordsMissing);
        }
        Ok(valid)
    }

    fn check_signature(&self, secret: &str, params: &Params) -> Result<(), Rejection> {
        let (Some(timestamp), Some(sign)) = (&params.timestamp, &params.sign) else {
            return Err(Rejection::InvalidTimestamp);
        };
        let timestamp: i64 = timestamp.parse().map_err(|_| Rejection::InvalidTimestamp)?;
        if u128::from(self.clock.unix_ms().abs_diff(timestamp)) > TIMESTAMP_TOLERANCE.as_millis() {
            return Err(Rejection::InvalidTimestamp);
        }
        if crate::sign(secret, timestamp) != *sign {
            return Err(Rejection::SignMismatch);
        }
        Ok(())
    }

    /// The rejection for being over the rate, or throttled.
    pub(crate) fn too_fast(&self) -> Rejection {
        let (limit, per) = self
            .rate_limit
            .map_or((dingtalk::RATE_LIMIT as u32, dingtalk::RATE_WINDOW), |r| {
                (r.max, r.per)
            });
        Rejection::TooFast { limit, per }
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

/// What the emulator remembers between requests.
#[derive(Default)]
pub(crate) struct State {
    /// Accepted messages, in order.
    pub(crate) received: Vec<Message>,
    /// Every request, in order.
    pub(crate) requests: Vec<RecordedRequest>,
    /// Faults waiting for the next requests.
    pub(crate) faults: VecDeque<Fault>,
    /// Until when the robot is throttled.
    pub(crate) throttled_until: Option<Instant>,
    /// When each message in the current rate window was accepted.
    window: VecDeque<Instant>,
    /// The `msgUuid`s of accepted messages.
    seen: HashSet<String>,
    /// How many requests were recorded since the start, including those a reset forgot.
    pub(crate) total: u64,
}

/// How a valid request fared against the robot's history.
pub(crate) enum Admission {
    /// Posted: recorded in `received`.
    Accepted,
    /// Its `msgUuid` was posted before: answered ok, not posted again.
    Duplicate,
}

impl State {
    /// The checks that depend on the robot's history, for a request that passed
    /// [`Config::check`]: throttle, duplicate `msgUuid`, rate window. Records the message
    /// when it is accepted.
    pub(crate) fn admit(
        &mut self,
        config: &Config,
        valid: Valid,
        now: Instant,
    ) -> Result<Admission, Rejection> {
        if self.throttled_at(now).is_some() {
            return Err(config.too_fast());
        }
        if let Some(uuid) = &valid.msg_uuid {
            if self.seen.contains(uuid) {
                return Ok(Admission::Duplicate);
            }
        }
        if let Some(limit) = config.rate_limit {
            while let Some(&first) = self.window.front() {
                if now.saturating_duration_since(first) >= limit.per {
                    self.window.pop_front();
                } else {
                    break;
                }
            }
            if self.window.len() >= limit.max as usize {
                self.throttle(config, now);
                return Err(config.too_fast());
            }
            self.window.push_back(now);
        }
        if let Some(uuid) = valid.msg_uuid {
            self.seen.insert(uuid);
        }
        self.received.push(valid.message);
        Ok(Admission::Accepted)
    }

    /// Throttles the robot from `now` for the configured time.
    pub(crate) fn throttle(&mut self, config: &Config, now: Instant) {
        // The builder caps `throttle_for`, so this only fails on an exotic platform.
        self.throttled_until = Some(now.checked_add(config.throttle_for).unwrap_or(now));
    }

    /// Until when the robot is throttled, if it is at `now`.
    pub(crate) fn throttled_at(&mut self, now: Instant) -> Option<Instant> {
        match self.throttled_until {
            Some(until) if now < until => Some(until),
            Some(_) => {
                self.throttled_until = None;
                None
            }
            None => None,
        }
    }

    /// Forgets everything.
    pub(crate) fn reset(&mut self) {
        *self = State {
            total: self.total,
            ..State::default()
        };
    }

    /// Records a request; returns how many were recorded since the start.
    pub(crate) fn push_request(&mut self, request: RecordedRequest) -> u64 {
        self.requests.push(request);
        self.total += 1;
        self.total
    }

    /// The requests recorded after the first `seen` since the start (those a reset
    /// forgot are skipped).
    pub(crate) fn requests_after(&self, seen: u64) -> &[RecordedRequest] {
        let first_kept = self.total - self.requests.len() as u64;
        let skip = seen
            .saturating_sub(first_kept)
            .min(self.requests.len() as u64);
        &self.requests[skip as usize..]
    }

    /// The index since the start of the first request still kept.
    pub(crate) fn first_kept(&self) -> u64 {
        self.total - self.requests.len() as u64
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

    #[test]
    fn keywords_are_looked_for_in_visible_text() {
        let kw = ["告警".to_owned()];
        let card: Message = crate::ActionCard::new("t", "x")
            .button("处理告警", "https://a.example")
            .into();
        assert!(keywords::contains_keyword(&card, &kw));
        let feed: Message = crate::FeedCard::new()
            .link("告警 1", "https://a.example", "https://a.example/p.png")
            .into();
        assert!(keywords::contains_keyword(&feed, &kw));
        let link: Message = crate::Link::new("t", "x", "https://告警.example").into();
        assert!(!keywords::contains_keyword(&link, &kw));
    }
}
