//! DingTalk's rules that depend on the request alone, in DingTalk's order
//! ([`Config::check`]); the body is read by [`parse`](super::parse), the rules that
//! depend on the robot's history are [`State::admit`](super::state::State::admit).

use std::net::IpAddr;
use std::time::Duration;

use super::errmsg::{ErrmsgStyle, Rejection};
use super::parse::{Valid, parse};
use crate::clock::Clock;
use crate::dingtalk::{MAX_BODY_BYTES, TIMESTAMP_TOLERANCE};
use crate::keywords;
use crate::rate::Rate;

/// The robot's settings, fixed when the emulator starts.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) token: String,
    pub(crate) secret: Option<String>,
    pub(crate) keywords: Vec<String>,
    pub(crate) allowed_ips: Vec<IpAddr>,
    pub(crate) rate_limit: Option<Rate>,
    pub(crate) throttle_for: Duration,
    pub(crate) clock: Clock,
    pub(crate) style: ErrmsgStyle,
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
    /// message validity, keywords. [`MockServer::check`](super::MockServer::check)
    /// judges a payload by these.
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
        let rate = self.rate_limit.unwrap_or(Rate::DINGTALK);
        Rejection::TooFast {
            limit: rate.limit(),
            per: rate.per(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Message;
    use crate::keywords;

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
