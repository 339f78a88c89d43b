//! [`Error::from_api`]: DingTalk's `errcode` and `errmsg` read as an [`Error`]; errcode
//! 310000's four security failures told apart by their text.

use super::Error;
use crate::dingtalk::{self, Meaning};

impl Error {
    /// Maps DingTalk's `errcode` and `errmsg` to an error; `None` for errcode 0.
    ///
    /// errcode 310000 covers four different security failures; they are told apart by
    /// `errmsg`, in both its old English form (`sign not match`) and its newer
    /// `description:...;solution:...` form with Chinese text.
    pub fn from_api(code: i64, errmsg: impl Into<String>) -> Option<Error> {
        let errmsg = errmsg.into();
        Some(match dingtalk::classify(code).0 {
            Meaning::Ok => return None,
            Meaning::SystemBusy => Error::SystemBusy { errmsg },
            Meaning::Security => security_error(errmsg),
            Meaning::SendTooFast => Error::SendTooFast { code, errmsg },
            Meaning::TokenNotFound => Error::TokenNotFound { code, errmsg },
            Meaning::RobotDisabled => Error::RobotDisabled { errmsg },
            Meaning::GroupDissolved => Error::GroupDissolved { errmsg },
            Meaning::UnsupportedMessageType => Error::UnsupportedMessageType { errmsg },
            Meaning::UnsafeContent => Error::UnsafeContent { code, errmsg },
            Meaning::BodyTooLarge => Error::BodyTooLarge { errmsg },
            Meaning::Other => Error::Api { code, errmsg },
        })
    }
}

fn security_error(errmsg: String) -> Error {
    // Newer formats are `description:...;solution:...;link:...` and
    // `错误描述:...;解决方案:...`; the solution text mentions other causes too, so only
    // the description is matched when there is one.
    let key = ["description:", "错误描述:", "错误描述："]
        .iter()
        .find_map(|marker| errmsg.split_once(marker))
        .map(|(_, rest)| rest.split([';', '；']).next().unwrap_or(rest))
        .unwrap_or(&errmsg)
        .to_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| key.contains(n));
    if has(&["sign not match", "签名不匹配", "sign mismatch"]) {
        Error::SignatureMismatch { errmsg }
    } else if has(&["timestamp", "时间戳", "签名过期", "过期"]) {
        Error::InvalidTimestamp { errmsg }
    } else if has(&["keyword", "关键词", "关键字"]) {
        Error::KeywordsMissing { errmsg }
    } else if has(&["whitelist", "white list", "白名单"]) {
        Error::IpNotAllowed { errmsg }
    } else {
        Error::SecurityCheckFailed { errmsg }
    }
}
