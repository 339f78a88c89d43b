//! Go's `time.Time` as templates see it: printed as Go prints it
//! (`2026-12-01 11:44:54.123 +0000 UTC`), formatted with Go's reference layouts
//! (`2006-01-02 15:04:05`), moved with `.Add` by nanoseconds.
//!
//! gotmpl has no value type of its own for a time, so a time travels through a template
//! as the string Go's `Time.String` prints, which holds everything Go's methods need
//! (the instant, the offset and the zone's abbreviation) and prints exactly as Go prints
//! a time; [`GoTime::parse`] reads it back when a method or a date function is called.

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

/// A time with the offset and the zone abbreviation it is shown in, as Go's `time.Time`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoTime {
    /// The instant.
    pub at: Timestamp,
    /// The offset it is shown in.
    pub offset: Offset,
    /// The zone's abbreviation (`UTC`, `CST`); empty for an unnamed offset, which Go
    /// prints as the offset itself.
    pub zone: String,
}

/// Go's zero time, `0001-01-01 00:00:00 +0000 UTC`: a firing alert's `EndsAt`.
pub fn zero() -> GoTime {
    GoTime {
        // Within jiff's range (-9999..=9999), so the constant is always valid.
        at: Timestamp::from_second(-62_135_596_800).unwrap_or(Timestamp::UNIX_EPOCH),
        offset: Offset::UTC,
        zone: "UTC".to_owned(),
    }
}

impl GoTime {
    /// `at` in UTC, as Go reads Alertmanager's `...Z` times.
    pub fn utc(at: Timestamp) -> GoTime {
        GoTime {
            at,
            offset: Offset::UTC,
            zone: "UTC".to_owned(),
        }
    }

    /// `at` in `zone`, named by its abbreviation there.
    pub fn in_zone(at: Timestamp, zone: &TimeZone) -> GoTime {
        let info = zone.to_offset_info(at);
        GoTime {
            at,
            offset: info.offset(),
            zone: info.abbreviation().to_owned(),
        }
    }

    /// The same instant in the process's local zone (`TZ`), as Go's `Local`.
    pub fn local(&self) -> GoTime {
        GoTime::in_zone(self.at, &TimeZone::system())
    }

    /// Go's `Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`.
    pub fn go_string(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }

    /// Reads what [`go_string`](Self::go_string) printed; `None` for anything else.
    pub fn parse(text: &str) -> Option<GoTime> {
        let mut words = text.split(' ');
        let (date, time, offset, zone) =
            (words.next()?, words.next()?, words.next()?, words.next()?);
        if words.next().is_some() || offset.len() != 5 {
            return None;
        }
        let sign = match offset.as_bytes().first()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let hours: i32 = offset.get(1..3)?.parse().ok()?;
        let minutes: i32 = offset.get(3..5)?.parse().ok()?;
        let offset = Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()?;
        let civil: jiff::civil::DateTime = format!("{date}T{time}").parse().ok()?;
        let at = offset.to_timestamp(civil).ok()?;
        let zone = if zone.starts_with(['+', '-']) {
            ""
        } else {
            zone
        };
        Some(GoTime {
            at,
            offset,
            zone: zone.to_owned(),
        })
    }

    /// Go's `Time.Add(d)`: `nanos` nanoseconds later (earlier when negative); the
    /// offset and zone stay. `None` past jiff's range (years -9999..=9999).
    pub fn add_nanos(&self, nanos: i128) -> Option<GoTime> {
        let at = Timestamp::from_nanosecond(self.at.as_nanosecond().checked_add(nanos)?).ok()?;
        Some(GoTime { at, ..self.clone() })
    }

    /// Go's `Time.Format(layout)` with Go's reference layout (`Mon Jan 2 15:04:05 MST
    /// 2006`): every element Go's `time` package knows.
    pub fn format(&self, layout: &str) -> String {
        let civil = self.offset.to_datetime(self.at);
        let mut out = String::with_capacity(layout.len() + 10);
        let mut rest = layout;
        while !rest.is_empty() {
            let (before, element, after) = next_element(rest);
            out.push_str(before);
            if let Some((element, text)) = element {
                self.write_element(&mut out, element, text, &civil);
            }
            rest = after;
        }
        out
    }

    fn write_element(
        &self,
        out: &mut String,
        element: Element,
        text: &str,
        t: &jiff::civil::DateTime,
    ) {
        use std::fmt::Write as _;
        let (year, month, day) = (i32::from(t.year()), t.month(), t.day());
        let hour = t.hour();
        let hour12 = match hour % 12 {
            0 => 12,
            h => h,
        };
        // Writing to a String cannot fail.
        let _ = match element {
            Element::LongYear => write!(out, "{year:04}"),
            Element::Year => write!(out, "{:02}", year.rem_euclid(100)),
            Element::Month => out.write_str(&MONTHS[usize::from(month as u8 - 1)][..3]),
            Element::LongMonth => out.write_str(MONTHS[usize::from(month as u8 - 1)]),
            Element::NumMonth => write!(out, "{month}"),
            Element::ZeroMonth => write!(out, "{month:02}"),
            Element::WeekDay => out.write_str(&weekday(t)[..3]),
            Element::LongWeekDay => out.write_str(weekday(t)),
            Element::Day => write!(out, "{day}"),
            Element::UnderDay => write!(out, "{day:>2}"),
            Element::ZeroDay => write!(out, "{day:02}"),
            Element::UnderYearDay => write!(out, "{:>3}", t.day_of_year()),
            Element::ZeroYearDay => write!(out, "{:03}", t.day_of_year()),
            Element::Hour => write!(out, "{hour:02}"),
            Element::Hour12 => write!(out, "{hour12}"),
            Element::ZeroHour12 => write!(out, "{hour12:02}"),
            Element::Minute => write!(out, "{}", t.minute()),
            Element::ZeroMinute => write!(out, "{:02}", t.minute()),
            Element::Second => write!(out, "{}", t.second()),
            Element::ZeroSecond => write!(out, "{:02}", t.second()),
            Element::Pm => out.write_str(if hour >= 12 { "PM" } else { "AM" }),
            Element::LowerPm => out.write_str(if hour >= 12 { "pm" } else { "am" }),
            Element::Zone if !self.zone.is_empty() => out.write_str(&self.zone),
            Element::Zone => write_offset(out, self.offset, false, false),
            Element::Offset {
                iso,
                colon,
                seconds,
                minutes,
            } => {
                if iso && self.offset.seconds() == 0 {
                    out.write_str("Z")
                } else if minutes {
                    write_offset(out, self.offset, seconds, colon)
                } else {
                    let total = self.offset.seconds();
                    let sign = if total < 0 { '-' } else { '+' };
                    write!(out, "{sign}{:02}", total.abs() / 3600)
                }
            }
            Element::Fraction { digits, trim } => {
                let nanos = format!("{:09}", t.subsec_nanosecond());
                let digits = &nanos[..digits.min(9)];
                let digits = if trim {
                    digits.trim_end_matches('0')
                } else {
                    digits
                };
                if !digits.is_empty() {
                    // The separator as the layout wrote it: `.` or `,`.
                    out.push_str(&text[..1]);
                    out.push_str(digits);
                }
                Ok(())
            }
        };
    }
}

/// `-0700` / `-07:00` (`colon`), with `:05` / `05` seconds when `seconds`.
fn write_offset(out: &mut String, offset: Offset, seconds: bool, colon: bool) -> std::fmt::Result {
    use std::fmt::Write as _;
    let total = offset.seconds();
    let sign = if total < 0 { '-' } else { '+' };
    let abs = total.abs();
    let sep = if colon { ":" } else { "" };
    write!(out, "{sign}{:02}{sep}{:02}", abs / 3600, abs % 3600 / 60)?;
    if seconds {
        write!(out, "{sep}{:02}", abs % 60)?;
    }
    Ok(())
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn weekday(t: &jiff::civil::DateTime) -> &'static str {
    const DAYS: [&str; 7] = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    DAYS[usize::from(t.weekday().to_sunday_zero_offset() as u8)]
}

/// One element of a Go layout.
#[derive(Debug, Clone, Copy)]
enum Element {
    LongYear,
    Year,
    Month,
    LongMonth,
    NumMonth,
    ZeroMonth,
    WeekDay,
    LongWeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    Pm,
    LowerPm,
    Zone,
    Offset {
        iso: bool,
        colon: bool,
        seconds: bool,
        minutes: bool,
    },
    Fraction {
        digits: usize,
        trim: bool,
    },
}

/// The text before the layout's next element, the element with its text, and the rest:
/// Go's `nextStdChunk`, element for element and in its order of precedence.
fn next_element(layout: &str) -> (&str, Option<(Element, &str)>, &str) {
    let bytes = layout.as_bytes();
    for i in 0..bytes.len() {
        let rest = &layout[i..];
        let found = match bytes[i] {
            b'J' if rest.starts_with("January") => Some((Element::LongMonth, 7)),
            b'J' if rest.starts_with("Jan") => Some((Element::Month, 3)),
            b'M' if rest.starts_with("Monday") => Some((Element::LongWeekDay, 6)),
            b'M' if rest.starts_with("Mon") => Some((Element::WeekDay, 3)),
            b'M' if rest.starts_with("MST") => Some((Element::Zone, 3)),
            b'0' if rest.starts_with("002") => Some((Element::ZeroYearDay, 3)),
            b'0' => match rest.as_bytes().get(1) {
                Some(b'1') => Some((Element::ZeroMonth, 2)),
                Some(b'2') => Some((Element::ZeroDay, 2)),
                Some(b'3') => Some((Element::ZeroHour12, 2)),
                Some(b'4') => Some((Element::ZeroMinute, 2)),
                Some(b'5') => Some((Element::ZeroSecond, 2)),
                Some(b'6') => Some((Element::Year, 2)),
                _ => None,
            },
            b'1' if rest.starts_with("15") => Some((Element::Hour, 2)),
            b'1' => Some((Element::NumMonth, 1)),
            b'2' if rest.starts_with("2006") => Some((Element::LongYear, 4)),
            b'2' => Some((Element::Day, 1)),
            b'_' if rest.starts_with("_2006") => {
                // `_` then the year: the underscore is text.
                return (
                    &layout[..=i],
                    Some((Element::LongYear, &layout[i + 1..i + 5])),
                    &layout[i + 5..],
                );
            }
            b'_' if rest.starts_with("__2") => Some((Element::UnderYearDay, 3)),
            b'_' if rest.starts_with("_2") => Some((Element::UnderDay, 2)),
            b'3' => Some((Element::Hour12, 1)),
            b'4' => Some((Element::Minute, 1)),
            b'5' => Some((Element::Second, 1)),
            b'P' if rest.starts_with("PM") => Some((Element::Pm, 2)),
            b'p' if rest.starts_with("pm") => Some((Element::LowerPm, 2)),
            b'-' | b'Z' => offset_element(rest, bytes[i] == b'Z'),
            b'.' | b',' => fraction_element(rest, i, bytes),
            _ => None,
        };
        if let Some((element, len)) = found {
            return (
                &layout[..i],
                Some((element, &layout[i..i + len])),
                &layout[i + len..],
            );
        }
    }
    (layout, None, "")
}

fn offset_element(rest: &str, iso: bool) -> Option<(Element, usize)> {
    let body = &rest[1..];
    let (colon, seconds, minutes, len) = if body.starts_with("070000") {
        (false, true, true, 7)
    } else if body.starts_with("07:00:00") {
        (true, true, true, 9)
    } else if body.starts_with("0700") {
        (false, false, true, 5)
    } else if body.starts_with("07:00") {
        (true, false, true, 6)
    } else if body.starts_with("07") {
        (false, false, false, 3)
    } else {
        return None;
    };
    Some((
        Element::Offset {
            iso,
            colon,
            seconds,
            minutes,
        },
        len,
    ))
}

fn fraction_element(rest: &str, i: usize, bytes: &[u8]) -> Option<(Element, usize)> {
    let digit = *rest.as_bytes().get(1)?;
    if digit != b'0' && digit != b'9' {
        return None;
    }
    let run = rest[1..].bytes().take_while(|&b| b == digit).count();
    // Go: a run followed by another digit is not a fraction (`.0001` in `15:04:05.0001`
    // is still one, but `.000` before `1` is not).
    if bytes.get(i + 1 + run).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some((
        Element::Fraction {
            digits: run,
            trim: digit == b'9',
        },
        run + 1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> GoTime {
        GoTime::utc(text.parse().unwrap())
    }

    #[test]
    fn prints_as_go_prints_a_time() {
        assert_eq!(
            at("2026-12-01T11:44:54.123Z").go_string(),
            "2026-12-01 11:44:54.123 +0000 UTC"
        );
        assert_eq!(
            at("2026-12-01T11:44:54Z").go_string(),
            "2026-12-01 11:44:54 +0000 UTC"
        );
        assert_eq!(zero().go_string(), "0001-01-01 00:00:00 +0000 UTC");
        let t = at("2026-12-01T11:44:54.5Z");
        assert_eq!(GoTime::parse(&t.go_string()), Some(t));
    }

    #[test]
    fn formats_with_go_layouts() {
        let t = at("2026-03-07T15:04:05.120Z")
            .add_nanos(28_800_000_000_000)
            .unwrap();
        assert_eq!(t.format("2006-01-02 15:04:05"), "2026-03-07 23:04:05");
        assert_eq!(
            t.format("Mon Jan _2 3:4:5 PM MST 06 -07:00 Z07:00"),
            "Sat Mar  7 11:4:5 PM UTC 26 +00:00 Z"
        );
        assert_eq!(
            t.format("2006.01.02 15:04:05.000 .999 ,99"),
            "2026.03.07 23:04:05.120 .12 ,12"
        );
        assert_eq!(
            t.format("January Monday 002 __2 _2006"),
            "March Saturday 066  66 _2026"
        );
    }
}
