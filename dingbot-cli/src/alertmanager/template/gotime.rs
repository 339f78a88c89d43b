//! Go's `time.Time` as templates see it: printed as Go prints it
//! (`2026-12-01 11:44:54.123 +0000 UTC`), formatted with Go's reference layouts
//! (`2006-01-02 15:04:05`), moved with `.Add` by nanoseconds.
//!
//! gotmpl has no value type of its own for a time, so a time travels through a template
//! as the string Go's `Time.String` prints, which holds everything Go's methods need
//! (the instant, the offset and the zone's abbreviation) and prints exactly as Go prints
//! a time; [`GoTime::parse`] reads it back when a method or a date function is called.

use jiff::Timestamp;

use super::layout::{Element, next_element};
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
