//! Parsing durations (`10m`, `1.5s`, `500ms`) given on the command line (rates are
//! [`dingbot::Rate`]s, parsed by their `FromStr`).

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
}
