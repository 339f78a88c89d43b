//! Durations, one syntax for the command's flags (`--timeout 10s`, `--throttle 10m`) and
//! the bridge's config file (`timeout: 5s`, `dedup_window: 5m`). Rates are
//! [`dingbot::Rate`]s, parsed by their `FromStr`.

use std::time::Duration;

/// A duration in jiff's friendly format: numbers with units `h`, `m`, `s`, `ms`, `us`
/// (`µs`), `ns`, or their long names (`1m30s`, `1.5h`, `500ms`, `2 hours 30 mins`). This
/// reads every duration Go's `time.ParseDuration` writes, so prometheus-webhook-dingtalk's
/// configs load as they are. A bare number is seconds (`2`, `0`). Never negative.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let bare_number = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.');
    // Go accepts the Greek mu for microseconds too; jiff knows the micro sign.
    let friendly = if bare_number {
        format!("{text}s")
    } else {
        text.replace('\u{3bc}', "\u{b5}")
    };
    jiff::fmt::friendly::SpanParser::new()
        .parse_unsigned_duration(&friendly)
        .map_err(|_| format!("{text:?} is not a duration; write it like 5s, 500ms, 1m30s or 2h"))
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
        assert_eq!(parse_duration("10 mins"), Ok(Duration::from_secs(600)));
        assert!(
            parse_duration("10 parsecs")
                .unwrap_err()
                .contains("not a duration")
        );
        assert!(parse_duration("m").unwrap_err().contains("not a duration"));
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("1s ago").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn durations_as_go_writes_them() {
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h0m0s"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("1µs"), Ok(Duration::from_micros(1)));
        assert_eq!(parse_duration("1\u{3bc}s"), Ok(Duration::from_micros(1)));
        assert_eq!(parse_duration("1us"), Ok(Duration::from_micros(1)));
        assert_eq!(parse_duration("300ns"), Ok(Duration::from_nanos(300)));
        assert_eq!(
            parse_duration("soon"),
            Err("\"soon\" is not a duration; write it like 5s, 500ms, 1m30s or 2h".into())
        );
    }
}
