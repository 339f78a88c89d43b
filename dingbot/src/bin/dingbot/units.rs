//! Parsing durations (`10m`, `1.5s`, `500ms`) and rates (`20/60s`) given on the command
//! line.

use std::time::Duration;

/// A duration: a number and a unit, `ms`, `s`, `m` or `h` (`10m`, `90s`, `1.5s`,
/// `500ms`). A bare number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit_secs = match unit.trim() {
        "ms" => 0.001,
        "" | "s" | "sec" | "secs" => 1.0,
        "m" | "min" | "mins" => 60.0,
        "h" | "hr" | "hrs" => 3600.0,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use ms, s, m or h (e.g. 10m, 90s)"
            ));
        }
    };
    let number: f64 = number.parse().map_err(|_| {
        format!("`{text}` is not a duration: write a number and a unit, e.g. 10m, 90s, 500ms")
    })?;
    Duration::try_from_secs_f64(number * unit_secs)
        .map_err(|_| format!("`{text}` is not a duration this command can wait"))
}

/// A rate: at most `max` messages in any window of `per`, written `MAX/WINDOW`
/// (`20/60s`, `20/1m`, `5/s`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Messages allowed in a window.
    pub max: u32,
    /// The window.
    pub per: Duration,
}

/// Parses [`Rate`].
pub fn parse_rate(text: &str) -> Result<Rate, String> {
    let (max, per) = text
        .split_once('/')
        .ok_or_else(|| format!("`{text}` is not a rate: write MESSAGES/WINDOW, e.g. 20/60s"))?;
    let max: u32 = max
        .trim()
        .parse()
        .map_err(|_| format!("`{max}` in `{text}` is not a whole number of messages"))?;
    // `5/s` and `5/m`: a unit alone is one of it.
    let per = per.trim();
    if per.is_empty() {
        return Err(format!(
            "`{text}` has no window: write one after the `/`, e.g. 20/60s or 5/s"
        ));
    }
    let per = if per.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        parse_duration(per)?
    } else {
        parse_duration(&format!("1{per}"))?
    };
    if max == 0 || per.is_zero() {
        return Err(format!(
            "`{text}` allows nothing: a rate needs at least one message in a non-zero window"
        ));
    }
    Ok(Rate { max, per })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert!(
            parse_duration("10 parsecs")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(parse_duration("m").unwrap_err().contains("not a duration"));
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn rates() {
        let rate = |max, secs| {
            Ok(Rate {
                max,
                per: Duration::from_secs(secs),
            })
        };
        assert_eq!(parse_rate("20/60s"), rate(20, 60));
        assert_eq!(parse_rate("20/1m"), rate(20, 60));
        assert_eq!(parse_rate("5/s"), rate(5, 1));
        assert_eq!(parse_rate(" 3 / 10s "), rate(3, 10));
        assert!(parse_rate("20").unwrap_err().contains("MESSAGES/WINDOW"));
        assert!(parse_rate("0/60s").unwrap_err().contains("allows nothing"));
        assert!(parse_rate("x/60s").unwrap_err().contains("whole number"));
        assert!(parse_rate("5/").unwrap_err().contains("no window"));
        assert!(parse_rate("5/ ").unwrap_err().contains("no window"));
    }
}
