use std::time::Duration;

use super::*;

/// What is refused because the bridge would run but be useless.
mod refused;

/// A target's robots, values from files, a proxy.
mod robots;

/// A target, for the tests about other keys: a config needs one.
const OPS: &str =
    "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n";

/// `OPS` and `extra`, parsed.
fn with_ops(extra: &str) -> Result<Config, String> {
    Config::parse(&format!("{OPS}{extra}"))
}

const TIMONWONG_SAMPLE: &str = "\
## Request timeout
timeout: 5s

## Customizable templates path
templates:
  - contrib/templates/legacy/template.tmpl

## You can also override default template using `default_message`
default_message:
  title: '{{ template \"legacy.title\" . }}'
  text: '{{ template \"legacy.content\" . }}'

targets:
  webhook1:
    url: https://oapi.dingtalk.com/robot/send?access_token=xxxxxxxxxxxx
    # secret for signature
    secret: SEC000000000000000000000
  webhook2:
    url: https://oapi.dingtalk.com/robot/send?access_token=xxxxxxxxxxxx
  webhook_legacy:
    url: https://oapi.dingtalk.com/robot/send?access_token=xxxxxxxxxxxx
    message:
      title: '{{ template \"legacy.title\" . }}'
      text: '{{ template \"legacy.content\" . }}'
  webhook_mention_all:
    url: https://oapi.dingtalk.com/robot/send?access_token=xxxxxxxxxxxx
    mention:
      all: true
  webhook_mention_users:
    url: https://oapi.dingtalk.com/robot/send?access_token=xxxxxxxxxxxx
    mention:
      mobiles: ['156xxxx8827', '189xxxx8325']
";

#[test]
fn the_sample_config_of_prometheus_webhook_dingtalk_is_read() {
    let config = Config::parse(TIMONWONG_SAMPLE).unwrap();
    assert_eq!(config.timeout, Duration::from_secs(5));
    assert_eq!(config.targets.len(), 5);
    assert!(config.targets["webhook1"].robots[0].secret.is_some());
    assert!(config.targets["webhook_mention_all"].mention_all);
    assert_eq!(
        config.targets["webhook_mention_users"].mobiles,
        ["156xxxx8827", "189xxxx8325"]
    );
    // Its Go templates are read: a pattern matching no file is no error, as there.
    let sources = &config.template_sources;
    assert_eq!(sources.patterns, ["contrib/templates/legacy/template.tmpl"]);
    let legacy = sources.default_message.as_ref().unwrap();
    assert_eq!(legacy.text, r#"{{ template "legacy.content" . }}"#);
    assert_eq!(sources.targets["webhook_legacy"], *legacy);
    assert!(config.templates.is_some());
    assert_eq!(config.timezone_name, "Asia/Shanghai");
}

#[test]
fn errors_name_the_key_and_the_line() {
    let err = Config::parse("targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n    secert: SEC1\n").unwrap_err();
    assert!(err.contains("targets.ops"), "{err}");
    assert!(err.contains("secert"), "{err}");
    assert!(err.contains("line 4"), "{err}");

    let err = Config::parse("# comment\ntimeout: soon\n").unwrap_err();
    assert_eq!(
        err,
        "timeout: \"soon\" is not a duration; write it like 5s, 500ms, 1m30s or 2h at line 2 column 10"
    );

    let err = Config::parse("targets:\n  9ops:\n    url: x\n").unwrap_err();
    assert!(
        err.contains("invalid target name") && err.contains("line 2"),
        "{err}"
    );

    let err = Config::parse("timezone: Mars/Olympus\n").unwrap_err();
    assert!(
        err.contains("Mars/Olympus") && err.contains("line 1"),
        "{err}"
    );

    let err = Config::parse("targets:\n  a:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n  b:\n    url: ftp://x\n").unwrap_err();
    assert!(err.starts_with("targets.b.url: "), "{err}");
    assert!(err.ends_with(" at line 5 column 10"), "{err}");

    let err = Config::parse("targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n    mention:\n      mobiles: 138\n").unwrap_err();
    assert!(
        err.contains("targets.ops.mention.mobiles") && err.contains("line 5"),
        "{err}"
    );
}

#[test]
fn secrets_are_described_never_quoted() {
    let err = Config::parse(
        "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n    secret: NOTSECRET-hunter2\n",
    )
    .unwrap_err();
    assert!(err.starts_with("targets.ops.secret: "), "{err}");
    assert!(err.ends_with(" at line 4 column 13"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");

    let err = Config::parse(
        "targets:\n  ops:\n    url: http://example.com/robot/send?access_token=tok-s3cr3t\n",
    )
    .unwrap_err();
    assert!(!err.contains("tok-s3cr3t"), "{err}");
    let config = Config::parse(
        "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=tok-s3cr3t\n    secret: SECsecretvalue\n",
    )
    .unwrap();
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("tok-s3cr3t") && !debug.contains("SECsecretvalue"),
        "{debug}"
    );
}

#[test]
fn values_may_come_from_the_environment() {
    let err = Config::parse("targets:\n  ops:\n    url_env: DINGBOT_TEST_SURELY_UNSET_VARIABLE\n")
        .unwrap_err();
    assert!(
        err.contains("DINGBOT_TEST_SURELY_UNSET_VARIABLE") && err.contains("not set"),
        "{err}"
    );
    // Cargo sets CARGO_PKG_NAME for the tests it runs: "dingbot", a well-formed token.
    let err =
        Config::parse("targets:\n  ops:\n    url: a\n    url_env: CARGO_PKG_NAME\n").unwrap_err();
    assert!(err.contains("not both"), "{err}");
    let err = Config::parse("targets:\n  ops:\n    mention: {all: true}\n").unwrap_err();
    assert!(err.contains("no webhook"), "{err}");
}

#[test]
fn durations_and_rates_read_as_go_writes_them() {
    let timeout = |text: &str| with_ops(&format!("timeout: {text}\n")).map(|c| c.timeout);
    assert_eq!(timeout("5s"), Ok(Duration::from_secs(5)));
    assert_eq!(timeout("1m30s"), Ok(Duration::from_secs(90)));
    assert_eq!(timeout("500ms"), Ok(Duration::from_millis(500)));
    assert_eq!(timeout("1.5h"), Ok(Duration::from_secs(5400)));
    // The flags' syntax, which is the config's too: a bare number is seconds, units
    // may be spelt out.
    assert_eq!(timeout("5"), Ok(Duration::from_secs(5)));
    assert_eq!(timeout("5 seconds"), Ok(Duration::from_secs(5)));
    assert!(timeout("''").is_err());
    assert!(timeout("5 parsecs").is_err());
    assert!(timeout("-5s").is_err());
    let config = with_ops("dedup_window: 2m\ndrain_timeout: 1m30s\n").unwrap();
    assert_eq!(config.dedup_window, Duration::from_secs(120));
    assert_eq!(config.drain_timeout, Duration::from_secs(90));
    let config = with_ops("rate: 20/3s\n").unwrap();
    assert_eq!(
        config.rate,
        Some(dingbot::Rate::new(20, Duration::from_secs(3)))
    );
    let err = Config::parse("rate: twenty\n").unwrap_err();
    assert!(err.starts_with("rate: "), "{err}");
    assert!(err.ends_with(" at line 1 column 7"), "{err}");
}

#[test]
fn mentions_from_alerts_use_dingtalk_at_unless_told_otherwise() {
    let config = Config::parse(OPS).unwrap();
    assert_eq!(config.mention_from, MentionFrom::default());
    let config = with_ops("mention_from: {label: oncall, annotation: ''}\n").unwrap();
    assert_eq!(config.mention_from.label.as_deref(), Some("oncall"));
    assert_eq!(config.mention_from.annotation, None);
}

#[test]
fn a_value_inside_nested_keys_is_reported_with_its_key_path_and_line() {
    let ops = "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n";
    let err =
        Config::parse(&format!("{ops}    mention:\n      mobiles: ['1', ' ']\n")).unwrap_err();
    assert_eq!(
        err,
        "targets.ops.mention.mobiles[1]: an empty entry at line 5 column 22"
    );
    // Flow style too: the line and the column of the value itself.
    let err = Config::parse("targets: {ops: {url: a, secret: x}}\n").unwrap_err();
    assert!(err.starts_with("targets.ops.secret: "), "{err}");
    assert!(err.ends_with(" at line 1 column 33"), "{err}");
    // A value read from the environment is reported at the key that names the variable.
    let err = Config::parse(
        "targets:\n  ok:\n    url: a\n  ops:\n    url_env: DINGBOT_TEST_SURELY_UNSET_VARIABLE\n",
    )
    .unwrap_err();
    assert!(err.starts_with("targets.ops.url_env: "), "{err}");
    assert!(err.ends_with(" at line 5 column 14"), "{err}");
    // A rule between the keys of one target: the target, where its keys start.
    let err = Config::parse("targets:\n  ok:\n    url: a\n  ops:\n    mention: {all: true}\n")
        .unwrap_err();
    assert!(err.starts_with("targets.ops: no webhook"), "{err}");
    assert!(err.ends_with(" at line 5 column 5"), "{err}");
    let err = Config::parse("redis:\n  url: http://redis:6379\n").unwrap_err();
    assert_eq!(
        err,
        "redis.url: a Redis URL starts with redis://, rediss:// or unix:// at line 2 column 8"
    );
    let err = Config::parse("max_held: 0\n").unwrap_err();
    assert!(
        err.starts_with("max_held: ") && err.ends_with(" at line 1 column 11"),
        "{err}"
    );
}

#[test]
fn defaults_are_those_documented() {
    let config = Config::parse(OPS).unwrap();
    assert_eq!(config.timeout, Duration::from_secs(5));
    assert_eq!(config.dedup_window, Duration::from_secs(5 * 60));
    assert_eq!(config.drain_timeout, Duration::from_secs(30));
    assert_eq!(config.max_held, 10_000);
    assert_eq!(config.rate, None);
    assert_eq!(config.timezone_name, "Asia/Shanghai");
}

#[test]
fn debug_of_the_values_never_shows_a_secret() {
    let config = Config::parse(
        "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=tok-s3cr3t\n    secret: SECsecretvalue\nredis:\n  url: redis://:hunter2@redis:6379\n",
    )
    .unwrap();
    let debug = format!("{config:?}");
    for secret in ["tok-s3cr3t", "SECsecretvalue", "hunter2"] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert_eq!(
        config.redis.as_ref().map(Secret::expose),
        Some("redis://:hunter2@redis:6379")
    );
}

#[test]
fn a_file_that_is_no_mapping_says_what_a_config_is() {
    let err = Config::parse("- a\n").unwrap_err();
    assert_eq!(
        err,
        "invalid type: sequence, expected a config: a mapping of keys such as timeout and targets"
    );
}
