//! Go's reference layouts (`Mon Jan 2 15:04:05 MST 2006`) read into elements, as Go's
//! `time` package reads them (`nextStdChunk`).

/// One element of a Go layout.
#[derive(Debug, Clone, Copy)]
pub enum Element {
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
pub fn next_element(layout: &str) -> (&str, Option<(Element, &str)>, &str) {
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
