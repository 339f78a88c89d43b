//! DingTalk's rules for custom group robots, written once: the endpoint, the limits,
//! the message types and the errcode table. The error type, the retry policy, the pacer
//! and the emulator all read them from here, so the client and the emulator cannot
//! drift apart.

use std::time::Duration;

/// DingTalk's robot endpoint; a bare access token is sent here.
pub const DEFAULT_ENDPOINT: &str = "https://oapi.dingtalk.com/robot/send";

/// The largest request body DingTalk accepts, in bytes (errcode 460101 beyond it).
pub const MAX_BODY_BYTES: usize = 20_000;

/// Messages a robot may send per [`RATE_WINDOW`].
pub(crate) const RATE_LIMIT: usize = 20;
/// The window of [`RATE_LIMIT`].
pub(crate) const RATE_WINDOW: Duration = Duration::from_secs(60);
/// How long DingTalk throttles a robot that sent too fast.
pub(crate) const THROTTLE: Duration = Duration::from_secs(600);
/// How far a signature's timestamp may be from DingTalk's clock.
#[cfg_attr(not(feature = "mock"), allow(dead_code))]
pub(crate) const TIMESTAMP_TOLERANCE: Duration = Duration::from_secs(3600);
/// The most keywords a robot's security settings may hold.
pub(crate) const MAX_KEYWORDS: usize = 10;

/// The `msgtype`s a custom robot accepts.
pub(crate) const MSGTYPES: [&str; 5] = ["text", "link", "markdown", "actionCard", "feedCard"];

/// DingTalk's errcodes, by name (some only the emulator answers).
#[cfg_attr(not(feature = "mock"), allow(dead_code))]
pub(crate) mod errcode {
    /// Success.
    pub(crate) const OK: i64 = 0;
    /// The system is busy.
    pub(crate) const SYSTEM_BUSY: i64 = -1;
    /// A missing or invalid parameter ("缺少参数", "不合法的参数").
    pub(crate) const BAD_PARAM: i64 = 40035;
    /// The request was not a POST.
    pub(crate) const POST_REQUIRED: i64 = 43002;
    /// More than the allowed messages a minute: the robot is throttled.
    pub(crate) const SEND_TOO_FAST: i64 = 130101;
    /// The access token does not exist.
    pub(crate) const TOKEN_NOT_EXIST: i64 = 300001;
    /// A security setting failed: signature, timestamp, keywords or IP allow-list.
    pub(crate) const SECURITY: i64 = 310000;
    /// The group has been dissolved.
    pub(crate) const GROUP_DISSOLVED: i64 = 400013;
    /// The access token does not exist (newer code).
    pub(crate) const TOKEN_INVALID: i64 = 400101;
    /// The robot has been disabled.
    pub(crate) const ROBOT_DISABLED: i64 = 400102;
    /// The msgtype is not supported.
    pub(crate) const UNSUPPORTED_MSGTYPE: i64 = 400105;
    /// The robot does not exist.
    pub(crate) const ROBOT_NOT_EXIST: i64 = 400106;
    /// Throttled for sending too fast (newer code).
    pub(crate) const THROTTLED: i64 = 410100;
    /// The first of the unsafe-content codes (link, text, image, content).
    pub(crate) const UNSAFE_FIRST: i64 = 430101;
    /// The last of the unsafe-content codes.
    pub(crate) const UNSAFE_LAST: i64 = 430104;
    /// The body is over [`super::MAX_BODY_BYTES`].
    pub(crate) const BODY_TOO_LARGE: i64 = 460101;
}

/// What an errcode means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Meaning {
    Ok,
    SystemBusy,
    Security,
    SendTooFast,
    TokenNotFound,
    RobotDisabled,
    GroupDissolved,
    UnsupportedMessageType,
    UnsafeContent,
    BodyTooLarge,
    Other,
}

/// Whether sending the same request again may succeed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Yes, after backing off.
    Backoff,
    /// Only once the 10-minute throttle is over: pacing's business, not a retry's.
    AfterThrottle,
    /// No: it would fail the same way (errcode 310000's "invalid timestamp" is the one
    /// exception, retried once re-signed; it is told apart by its errmsg).
    Never,
}

/// One row of the errcode table.
struct Row {
    first: i64,
    last: i64,
    meaning: Meaning,
    retry: Retry,
}

const fn row(first: i64, last: i64, meaning: Meaning, retry: Retry) -> Row {
    Row {
        first,
        last,
        meaning,
        retry,
    }
}

/// Every errcode dingbot knows, with its meaning and its retry class.
const ERRCODES: &[Row] = {
    use Meaning::*;
    use Retry::*;
    use errcode::*;
    &[
        row(OK, OK, Ok, Never),
        row(SYSTEM_BUSY, SYSTEM_BUSY, SystemBusy, Backoff),
        row(SECURITY, SECURITY, Security, Never),
        row(SEND_TOO_FAST, SEND_TOO_FAST, SendTooFast, AfterThrottle),
        row(THROTTLED, THROTTLED, SendTooFast, AfterThrottle),
        row(TOKEN_NOT_EXIST, TOKEN_NOT_EXIST, TokenNotFound, Never),
        row(TOKEN_INVALID, TOKEN_INVALID, TokenNotFound, Never),
        row(ROBOT_NOT_EXIST, ROBOT_NOT_EXIST, TokenNotFound, Never),
        row(ROBOT_DISABLED, ROBOT_DISABLED, RobotDisabled, Never),
        row(GROUP_DISSOLVED, GROUP_DISSOLVED, GroupDissolved, Never),
        row(
            UNSUPPORTED_MSGTYPE,
            UNSUPPORTED_MSGTYPE,
            UnsupportedMessageType,
            Never,
        ),
        row(UNSAFE_FIRST, UNSAFE_LAST, UnsafeContent, Never),
        row(BODY_TOO_LARGE, BODY_TOO_LARGE, BodyTooLarge, Never),
    ]
};

/// What `code` means and whether it may be retried; an unknown code is
/// [`Meaning::Other`], never retried.
pub(crate) fn classify(code: i64) -> (Meaning, Retry) {
    ERRCODES
        .iter()
        .find(|r| (r.first..=r.last).contains(&code))
        .map_or((Meaning::Other, Retry::Never), |r| (r.meaning, r.retry))
}

/// The errcode of a meaning that has only one.
pub(crate) fn code_of(meaning: Meaning) -> Option<i64> {
    let mut rows = ERRCODES.iter().filter(|r| r.meaning == meaning);
    match (rows.next(), rows.next()) {
        (Some(r), None) if r.first == r.last => Some(r.first),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_classifies_every_known_code() {
        assert_eq!(classify(0).0, Meaning::Ok);
        assert_eq!(classify(-1), (Meaning::SystemBusy, Retry::Backoff));
        assert_eq!(
            classify(410100),
            (Meaning::SendTooFast, Retry::AfterThrottle)
        );
        assert_eq!(classify(430103).0, Meaning::UnsafeContent);
        assert_eq!(classify(123456), (Meaning::Other, Retry::Never));
        assert_eq!(code_of(Meaning::RobotDisabled), Some(400102));
        assert_eq!(code_of(Meaning::TokenNotFound), None);
        assert_eq!(code_of(Meaning::UnsafeContent), None);
    }
}
