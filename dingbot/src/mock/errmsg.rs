//! Why the emulator rejects a request, and the `errcode` / `errmsg` DingTalk answers for it
//! in each of its two `errmsg` styles.

use std::net::IpAddr;
use std::time::Duration;

/// Which generation of DingTalk's `errmsg` texts the emulator answers with.
///
/// DingTalk changed the wording of its errors over time; the errcodes stayed the same.
/// A client must recognise both, so test against both.
///
/// ```
/// use dingbot::mock::ErrmsgStyle;
///
/// assert_eq!(ErrmsgStyle::default(), ErrmsgStyle::Legacy);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrmsgStyle {
    /// The older, mostly English texts: `sign not match, more: [...]`,
    /// `keywords not in content, more: [...]`, `invalid timestamp`,
    /// `ip 1.2.3.4 not in whitelist`, `token is not exist`,
    /// `send too fast, exceed 20 times per minute`. The default.
    #[default]
    Legacy,
    /// The newer `description:...;solution:...;link:...` texts in Chinese, e.g.
    /// `description:机器人发送签名不匹配;solution:...;link:...`.
    Current,
}

/// Where the legacy 310000 texts send people.
const MORE: &str = ", more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]";
/// The `link:` part of the current texts.
const LINK: &str = "link:请参考本接口对应的开放平台文档";

use crate::dingtalk::MAX_BODY_BYTES;
use crate::dingtalk::errcode::{
    BAD_PARAM, BODY_TOO_LARGE, POST_REQUIRED, SECURITY, SEND_TOO_FAST, TOKEN_NOT_EXIST,
    UNSUPPORTED_MSGTYPE,
};

/// A reason DingTalk rejects a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// Not a POST.
    PostRequired,
    /// No `access_token`, or not this robot's.
    TokenNotExist,
    /// The peer address is not on the allow-list.
    IpNotAllowed(IpAddr),
    /// `timestamp` or `sign` missing, unparsable, or more than an hour off.
    InvalidTimestamp,
    /// `sign` is not the signature of `timestamp`.
    SignMismatch,
    /// The body is over the size limit.
    TooBig,
    /// A required parameter is missing or empty (`json` for a body that is not JSON).
    MissingParam(String),
    /// A parameter is present but invalid.
    IllegalParam(String),
    /// A msgtype custom robots do not support.
    UnsupportedMsgtype(String),
    /// None of the robot's keywords is in the message.
    KeywordsMissing,
    /// Over the rate limit, or throttled for having been over it.
    TooFast {
        /// Messages allowed per window.
        limit: u32,
        /// The window.
        per: Duration,
    },
}

impl Rejection {
    /// What is wrong and what to do, in plain words, for a person reading the preview
    /// page or the emulator's log; DingTalk's own `errmsg` is often terse or in Chinese.
    pub(crate) fn plain_words(&self) -> String {
        match self {
            Rejection::PostRequired => "the robot only accepts POST requests".to_owned(),
            Rejection::TokenNotExist => {
                "the access_token is not this robot's: copy the whole webhook URL".to_owned()
            }
            Rejection::IpNotAllowed(ip) => format!(
                "{ip} is not on the robot's IP allow-list: send from an allowed address, or add it"
            ),
            Rejection::InvalidTimestamp => "the request is not signed, or its timestamp is more \
                 than an hour from the server's clock: sign every request afresh with the \
                 robot's secret (DINGTALK_SECRET)"
                .to_owned(),
            Rejection::SignMismatch => "the signature does not match: the secret is not the \
                 robot's (check DINGTALK_SECRET), or the sign was URL-encoded twice"
                .to_owned(),
            Rejection::TooBig => format!(
                "the request body is over {MAX_BODY_BYTES} bytes: shorten the message or split it"
            ),
            Rejection::MissingParam(name) if name == "json" => {
                "the body is not a JSON object: send DingTalk's message JSON".to_owned()
            }
            Rejection::MissingParam(name) => {
                format!("the message has no `{name}`, or it is empty: fill it in")
            }
            Rejection::IllegalParam(detail) => {
                format!("a field of the message is not valid: {detail}")
            }
            Rejection::UnsupportedMsgtype(t) => format!(
                "a custom robot cannot send msgtype `{t}`: use text, markdown, link, \
                 actionCard or feedCard"
            ),
            Rejection::KeywordsMissing => "the message must contain one of the robot's \
                 keywords: put one in its text or title"
                .to_owned(),
            Rejection::TooFast { limit, per } => format!(
                "the robot sent more than {limit} messages in {} and is throttled: \
                 wait until the throttle ends, and merge bursts into one message",
                window_words(*per)
            ),
        }
    }

    /// DingTalk's errcode for this rejection.
    pub(crate) fn errcode(&self) -> i64 {
        match self {
            Rejection::PostRequired => POST_REQUIRED,
            Rejection::TokenNotExist => TOKEN_NOT_EXIST,
            Rejection::IpNotAllowed(_)
            | Rejection::InvalidTimestamp
            | Rejection::SignMismatch
            | Rejection::KeywordsMissing => SECURITY,
            Rejection::TooBig => BODY_TOO_LARGE,
            Rejection::MissingParam(_) | Rejection::IllegalParam(_) => BAD_PARAM,
            Rejection::UnsupportedMsgtype(_) => UNSUPPORTED_MSGTYPE,
            Rejection::TooFast { .. } => SEND_TOO_FAST,
        }
    }

    /// DingTalk's errmsg for this rejection, in `style`.
    pub(crate) fn errmsg(&self, style: ErrmsgStyle) -> String {
        let current = |description: &str, solution: &str| {
            format!("description:{description};solution:{solution};{LINK}")
        };
        match (self, style) {
            // The parameter errors have kept their short Chinese wording in both styles.
            (Rejection::PostRequired, _) => "需要POST请求".to_owned(),
            (Rejection::MissingParam(name), _) => format!("缺少参数 {name}"),
            (Rejection::IllegalParam(detail), _) => format!("不合法的参数 {detail}"),

            (Rejection::TokenNotExist, ErrmsgStyle::Legacy) => "token is not exist".to_owned(),
            (Rejection::TokenNotExist, ErrmsgStyle::Current) => current(
                "access_token不存在",
                "请确认webhook地址中的access_token是否正确，机器人是否已被移除",
            ),

            (Rejection::IpNotAllowed(ip), ErrmsgStyle::Legacy) => {
                format!("ip {ip} not in whitelist")
            }
            (Rejection::IpNotAllowed(_), ErrmsgStyle::Current) => {
                current("ip地址不在白名单", "请在机器人的安全设置中添加该ip")
            }

            (Rejection::InvalidTimestamp, ErrmsgStyle::Legacy) => "invalid timestamp".to_owned(),
            (Rejection::InvalidTimestamp, ErrmsgStyle::Current) => current(
                "机器人发送签名过期",
                "请保证发送时的时间戳和服务器时间戳误差在1小时以内",
            ),

            (Rejection::SignMismatch, ErrmsgStyle::Legacy) => format!("sign not match{MORE}"),
            (Rejection::SignMismatch, ErrmsgStyle::Current) => current(
                "机器人发送签名不匹配",
                "请确认签名和生成签名的时间戳必须都放在调用的url中",
            ),

            (Rejection::KeywordsMissing, ErrmsgStyle::Legacy) => {
                format!("keywords not in content{MORE}")
            }
            (Rejection::KeywordsMissing, ErrmsgStyle::Current) => current(
                "关键词不匹配",
                "请联系群管理员查看此机器人的关键词，并在发送的信息中包含此关键词",
            ),

            (Rejection::TooBig, ErrmsgStyle::Legacy) => "message too big".to_owned(),
            (Rejection::TooBig, ErrmsgStyle::Current) => {
                current("消息体过大", "请将请求体控制在20000字节以内")
            }

            (Rejection::UnsupportedMsgtype(t), ErrmsgStyle::Legacy) => {
                format!("不支持的消息类型 {t}")
            }
            (Rejection::UnsupportedMsgtype(t), ErrmsgStyle::Current) => current(
                &format!("不支持的消息类型 {t}"),
                "请使用text、link、markdown、actionCard或feedCard",
            ),

            // DingTalk's own words, which name a minute whatever the emulator's window.
            (Rejection::TooFast { limit, .. }, ErrmsgStyle::Legacy) => {
                format!("send too fast, exceed {limit} times per minute")
            }
            (Rejection::TooFast { limit, .. }, ErrmsgStyle::Current) => current(
                "发送速度太快而限流",
                &format!("每分钟最多发送{limit}条消息，超过后机器人将被限流10分钟，请降低发送频率"),
            ),
        }
    }
}

/// A rate window in words: `a minute`, `an hour`, `90 seconds`, `5 minutes`.
fn window_words(per: Duration) -> String {
    let secs = per.as_secs();
    match secs {
        60 => "a minute".to_owned(),
        3600 => "an hour".to_owned(),
        1 => "a second".to_owned(),
        _ if per.subsec_nanos() != 0 || secs == 0 => format!("{} ms", per.as_millis()),
        _ if secs % 3600 == 0 => format!("{} hours", secs / 3600),
        _ if secs % 60 == 0 => format!("{} minutes", secs / 60),
        _ => format!("{secs} seconds"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn the_throttle_reason_names_the_configured_window() {
        let reason = |per| Rejection::TooFast { limit: 5, per }.plain_words();
        assert!(reason(Duration::from_secs(60)).contains("more than 5 messages in a minute"));
        assert!(reason(Duration::from_secs(3600)).contains("more than 5 messages in an hour"));
        assert!(reason(Duration::from_secs(7200)).contains("in 2 hours"));
        assert!(reason(Duration::from_secs(10)).contains("in 10 seconds"));
        assert!(reason(Duration::from_millis(1500)).contains("in 1500 ms"));
    }

    fn all() -> Vec<Rejection> {
        vec![
            Rejection::PostRequired,
            Rejection::TokenNotExist,
            Rejection::IpNotAllowed("127.0.0.1".parse().unwrap()),
            Rejection::InvalidTimestamp,
            Rejection::SignMismatch,
            Rejection::TooBig,
            Rejection::MissingParam("json".into()),
            Rejection::IllegalParam("msgtype".into()),
            Rejection::UnsupportedMsgtype("image".into()),
            Rejection::KeywordsMissing,
            Rejection::TooFast {
                limit: 20,
                per: Duration::from_secs(60),
            },
        ]
    }

    #[test]
    fn every_errmsg_is_classified_as_its_rejection() {
        for style in [ErrmsgStyle::Legacy, ErrmsgStyle::Current] {
            for rejection in all() {
                let errmsg = rejection.errmsg(style);
                let err = Error::from_api(rejection.errcode(), errmsg.clone())
                    .expect("a rejection is never errcode 0");
                let ok = match rejection {
                    Rejection::TokenNotExist => matches!(err, Error::TokenNotFound { .. }),
                    Rejection::IpNotAllowed(_) => matches!(err, Error::IpNotAllowed { .. }),
                    Rejection::InvalidTimestamp => matches!(err, Error::InvalidTimestamp { .. }),
                    Rejection::SignMismatch => matches!(err, Error::SignatureMismatch { .. }),
                    Rejection::KeywordsMissing => matches!(err, Error::KeywordsMissing { .. }),
                    Rejection::TooBig => matches!(err, Error::BodyTooLarge { .. }),
                    Rejection::UnsupportedMsgtype(_) => {
                        matches!(err, Error::UnsupportedMessageType { .. })
                    }
                    Rejection::TooFast { .. } => err.is_throttled(),
                    Rejection::PostRequired
                    | Rejection::MissingParam(_)
                    | Rejection::IllegalParam(_) => matches!(err, Error::Api { .. }),
                };
                assert!(ok, "{style:?} {rejection:?}: {errmsg:?} became {err:?}");
            }
        }
    }
}
