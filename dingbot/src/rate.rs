//! [`Rate`]: how many messages per window — one value shared by the robot's pacing and
//! the emulator's rule.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::error::Error;

/// A rate: at most [`limit`](Rate::limit) messages in any window of [`per`](Rate::per).
///
/// The robot paces at a rate ([`RobotBuilder::rate_limit`](crate::RobotBuilder::rate_limit),
/// default [`Rate::DINGTALK`]) and the emulator enforces one
/// (`MockServerBuilder::rate_limit`), so a test scales both with one value. It prints as
/// `20/60s` and parses from the same form, with the window in `ms`, `s`, `m` or `h`
/// (`"20/60s"`, `"20/1m"`, `"20/3s"`, `"5/500ms"`; a bare unit means one of it, as in
/// `"20/m"`).
///
/// ```
/// use std::time::Duration;
/// use dingbot::Rate;
///
/// let rate = Rate::new(20, Duration::from_secs(60));
/// assert_eq!(rate, Rate::DINGTALK);
/// assert_eq!(rate.to_string(), "20/60s");
/// assert_eq!("20/1m".parse::<Rate>()?, rate);
/// assert_eq!("20/3s".parse::<Rate>()?, Rate::new(20, Duration::from_secs(3)));
/// assert!("0/60s".parse::<Rate>().is_err());
/// assert!("20 a minute".parse::<Rate>().is_err());
/// # Ok::<(), dingbot::Error>(())
/// ```
///
/// A rate that allows nothing (a limit of 0 or an empty window) is refused where it is
/// used: by [`RobotBuilder::build`](crate::RobotBuilder::build) and the emulator's
/// `start`, with an error that says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rate {
    limit: u32,
    per: Duration,
}

impl Rate {
    /// DingTalk's own limit: 20 messages per 60 seconds.
    pub const DINGTALK: Rate = Rate::new(
        crate::dingtalk::RATE_LIMIT as u32,
        crate::dingtalk::RATE_WINDOW,
    );

    /// At most `limit` messages in any window of `per`.
    pub const fn new(limit: u32, per: Duration) -> Rate {
        Rate { limit, per }
    }

    /// Messages per window.
    pub const fn limit(&self) -> u32 {
        self.limit
    }

    /// The window.
    pub const fn per(&self) -> Duration {
        self.per
    }

    /// The error when this rate allows nothing, if it does not.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.limit == 0 || self.per.is_zero() {
            return Err(invalid(format!(
                "{self} allows no message: give at least 1 message in a non-zero window"
            )));
        }
        Ok(())
    }
}

impl Default for Rate {
    /// [`Rate::DINGTALK`].
    fn default() -> Self {
        Rate::DINGTALK
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.per.subsec_nanos() == 0 {
            write!(f, "{}/{}s", self.limit, self.per.as_secs())
        } else if self.per.subsec_nanos() % 1_000_000 == 0 {
            write!(f, "{}/{}ms", self.limit, self.per.as_millis())
        } else {
            write!(f, "{}/{:?}", self.limit, self.per)
        }
    }
}

impl FromStr for Rate {
    type Err = Error;

    fn from_str(text: &str) -> Result<Rate, Error> {
        let form = || {
            invalid(format!(
                "{text:?} is not a rate: write messages/window, as 20/60s, 20/1m or 20/500ms"
            ))
        };
        let (limit, per) = text.trim().split_once('/').ok_or_else(form)?;
        let limit: u32 = limit.trim().parse().map_err(|_| form())?;
        let per = per.trim();
        let digits = per.find(|c: char| !c.is_ascii_digit()).unwrap_or(per.len());
        let (count, unit) = per.split_at(digits);
        let count: u64 = match count {
            "" => 1,
            n => n.parse().map_err(|_| form())?,
        };
        let unit_ms: u64 = match unit {
            "ms" => 1,
            "s" => 1_000,
            "m" | "min" => 60_000,
            "h" => 3_600_000,
            _ => return Err(form()),
        };
        let ms = count.checked_mul(unit_ms).ok_or_else(form)?;
        let rate = Rate::new(limit, Duration::from_millis(ms));
        rate.check()?;
        Ok(rate)
    }
}

fn invalid(reason: String) -> Error {
    Error::InvalidRate { reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for (text, limit, ms, shown) in [
            ("20/60s", 20, 60_000, "20/60s"),
            ("20/1m", 20, 60_000, "20/60s"),
            (" 20 / 3s ", 20, 3_000, "20/3s"),
            ("5/500ms", 5, 500, "5/500ms"),
            ("20/m", 20, 60_000, "20/60s"),
            ("100/1h", 100, 3_600_000, "100/3600s"),
        ] {
            let rate: Rate = text.parse().unwrap();
            assert_eq!(rate, Rate::new(limit, Duration::from_millis(ms)), "{text}");
            assert_eq!(rate.to_string(), shown);
            assert_eq!(shown.parse::<Rate>().unwrap(), rate);
        }
        for bad in [
            "",
            "20",
            "/60s",
            "x/60s",
            "20/60",
            "20/60x",
            "20/-1s",
            "0/60s",
            "20/0s",
            "20/99999999999999999h",
        ] {
            let err = bad.parse::<Rate>().unwrap_err();
            assert!(matches!(err, Error::InvalidRate { .. }), "{bad}: {err:?}");
        }
        assert!(
            "0/1s"
                .parse::<Rate>()
                .unwrap_err()
                .to_string()
                .contains("at least 1 message")
        );
    }
}
