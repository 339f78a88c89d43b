//! Durations as people write them: `2h`, `90m`, `1h30m`, `45s`, `1d`, `2小时`.

use std::time::Duration;

/// Parses a duration: one or more `<number><unit>` (`1h30m`), the units `ms`, `s`, `m`,
/// `h`, `d` and `w` (and their longer English and Chinese names: `min`, `hours`, `秒`,
/// `分钟`, `小时`, `天`, `周`), a number with a decimal point allowed (`1.5h`).
///
/// ```
/// use std::time::Duration;
/// use dingbot::command::parse_duration;
///
/// assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
/// assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
/// assert_eq!(parse_duration("2小时"), Ok(Duration::from_secs(7200)));
/// assert!(parse_duration("2").is_err()); // which unit?
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty: write a duration such as 2h, 30m or 1h30m".to_owned());
    }
    let mut total = 0f64;
    let mut rest = text;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return Err(format!(
                "{text:?} is not a duration: write a number, then a unit (2h, 30m, 1h30m)"
            ));
        }
        let number: f64 = rest[..number_len].parse().map_err(|_| {
            format!(
                "{text:?} is not a duration: {:?} is not a number",
                &rest[..number_len]
            )
        })?;
        rest = rest[number_len..].trim_start();
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.' || c.is_whitespace())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let seconds = match unit.to_lowercase().as_str() {
            "ms" | "毫秒" => 0.001,
            "s" | "sec" | "secs" | "second" | "seconds" | "秒" | "秒钟" => 1.0,
            "m" | "min" | "mins" | "minute" | "minutes" | "分" | "分钟" => 60.0,
            "h" | "hr" | "hrs" | "hour" | "hours" | "小时" | "时" => 3_600.0,
            "d" | "day" | "days" | "天" | "日" => 86_400.0,
            "w" | "week" | "weeks" | "周" | "星期" => 604_800.0,
            "" => return Err(format!("{text:?} has no unit: write 2h, 30m or 45s")),
            other => {
                return Err(format!(
                    "{text:?}: unknown unit {other:?} (use s, m, h, d or w)"
                ));
            }
        };
        total += number * seconds;
        rest = rest[unit_len..].trim_start();
    }
    // About 31,000 years: a bound that keeps the conversion exact and the sum finite.
    if !total.is_finite() || total > 1e12 {
        return Err(format!("{text:?} is too long a duration"));
    }
    Ok(Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_mistakes() {
        let secs = |t: &str| parse_duration(t).map(|d| d.as_secs_f64());
        assert_eq!(secs("2h"), Ok(7200.0));
        assert_eq!(secs("1h 30m"), Ok(5400.0));
        assert_eq!(secs("1.5H"), Ok(5400.0));
        assert_eq!(secs("250ms"), Ok(0.25));
        assert_eq!(secs("1w2d"), Ok(777_600.0));
        assert_eq!(secs("30分钟"), Ok(1800.0));
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("2 fortnights").is_err());
        assert!(parse_duration("1.2.3h").is_err());
        assert!(parse_duration("99999999999999999999w").is_err());
        assert!(parse_duration("").is_err());
    }
}
