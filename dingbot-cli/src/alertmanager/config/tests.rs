use std::time::Duration;

use super::*;

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
    assert!(config.targets["webhook1"].secret.is_some());
    assert!(config.targets["webhook_mention_all"].mention_all);
    assert_eq!(
        config.targets["webhook_mention_users"].mobiles,
        ["156xxxx8827", "189xxxx8325"]
    );
    assert_eq!(
        config.ignored,
        [
            "templates",
            "default_message",
            "targets.webhook_legacy.message"
        ]
    );
    let warning = config.template_warning().unwrap();
    assert!(
        warning.contains("targets.webhook_legacy.message"),
        "{warning}"
    );
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

#[test]
fn a_config_without_targets_is_refused() {
    for text in ["", "  \n", "# only a comment\n", "timeout: 5s\n", "targets:\n"] {
        let err = Config::parse(text).unwrap_err();
        assert!(
            err.starts_with("the file is empty") || err.starts_with("targets: no targets"),
            "{text:?}: {err}"
        );
        assert!(err.contains("at least one"), "{text:?}: {err}");
    }
    let err = Config::parse("timeout: 5s\ntargets: {}\n").unwrap_err();
    assert!(
        err.starts_with("targets: no targets") && err.ends_with(" at line 2 column 10"),
        "{err}"
    );
    // A file cut short while it was written: what is left has no target, or is wrong.
    let whole = format!("timeout: 5s\n{OPS}    mention:\n      mobiles: ['13800000000']\n");
    for end in [0, 5, 12, 21] {
        assert!(Config::parse(&whole[..end]).is_err(), "{:?}", &whole[..end]);
    }
}

#[test]
fn durations_must_be_above_zero() {
    for key in ["timeout", "dedup_window", "drain_timeout"] {
        for zero in ["0", "0s", "0ms", "0h0m"] {
            let err = with_ops(&format!("{key}: {zero}\n")).unwrap_err();
            assert!(
                err.starts_with(&format!("{key}: ")) && err.contains("must be above zero"),
                "{err}"
            );
            assert!(err.contains(" at line 4 column "), "{err}");
        }
        assert!(with_ops(&format!("{key}: -1s\n")).is_err());
        assert!(with_ops(&format!("{key}: 1ms\n")).is_ok());
    }
}

#[test]
fn static_mentions_must_be_ids_the_library_sends() {
    for bad in [
        "o'brien",
        "_x",
        "a:b",
        "oncall@example.com",
        "13800000000 (oncall)",
        &"1".repeat(65),
    ] {
        for key in ["mobiles", "user_ids"] {
            let err = with_ops(&format!("    mention:\n      all: true\n      {key}: ['13800000000', \"{bad}\"]\n"))
                .unwrap_err();
            assert!(
                err.starts_with(&format!("targets.ops.mention.{key}[1]: "))
                    && err.contains("is not a mobile number or user id")
                    && err.contains(" at line 6 column "),
                "{err}"
            );
        }
    }
    let config =
        with_ops("    mention:\n      all: true\n      mobiles: ['+86-13800000000']\n      user_ids: [manager4711, user_name]\n")
            .unwrap();
    assert_eq!(config.targets["ops"].user_ids, ["manager4711", "user_name"]);
    assert_eq!(config.targets["ops"].name, "ops");
    for id in ["13800000000", "manager4711", "a.b-c", "+8613800000000"] {
        assert!(is_mention_id(id), "{id}");
    }
    for id in ["", " 138", "_x", "a__b", "a:b", "o'brien", "x@y.z"] {
        assert!(!is_mention_id(id), "{id}");
    }
}

#[test]
fn a_key_named_twice_is_refused_at_the_second() {
    let err = Config::parse(&format!("timeout: 5s\n{OPS}timeout: 6s\n")).unwrap_err();
    assert!(
        err.starts_with("`timeout` is named twice") && err.ends_with(" at line 5 column 1"),
        "{err}"
    );
    let err = Config::parse(&format!(
        "{OPS}  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=def\n"
    ))
    .unwrap_err();
    assert!(
        err.starts_with("targets: `ops` is named twice") && err.ends_with(" at line 4 column 3"),
        "{err}"
    );
    let err = with_ops("    url: https://oapi.dingtalk.com/robot/send?access_token=def\n").unwrap_err();
    assert!(
        err.starts_with("targets.ops: `url` is named twice") && err.ends_with(" at line 4 column 5"),
        "{err}"
    );
    let err = with_ops("    mention: {all: true, all: false}\n").unwrap_err();
    assert!(
        err.starts_with("targets.ops.mention: `all` is named twice"),
        "{err}"
    );
    // Flow style, and a key deep inside.
    let err = Config::parse("targets: {a: {url: x}, b: {url: y}, a: {url: z}}\n").unwrap_err();
    assert!(err.starts_with("targets: `a` is named twice"), "{err}");
}

#[test]
fn an_alias_bomb_is_refused_quickly() {
    // An anchor of 100 KB, repeated 20,000 times: 2 GB once expanded, 180 KB written.
    let big = "x".repeat(100_000);
    let aliases = vec!["*a"; 20_000].join(", ");
    let bomb = format!("{OPS}templates: [&a '{big}', {aliases}]\n");
    assert!(bomb.len() < 200_000);
    let start = std::time::Instant::now();
    let err = Config::parse(&bomb).unwrap_err();
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    assert!(
        err.starts_with("templates[") && err.contains("aliases") && err.contains(" at line 4 "),
        "{err}"
    );
    // Nested: lists of aliases of lists, in every target's mentions.
    let mut nested = format!("{OPS}    mention: &m\n      mobiles: [&p '13800000000', {}]\n", vec!["*p"; 1000].join(", "));
    for i in 0..2_000 {
        nested.push_str(&format!("  t{i}:\n    url: a\n    mention: *m\n"));
    }
    let err = Config::parse(&nested).unwrap_err();
    assert!(err.contains("aliases"), "{err}");
    // Aliases in moderation are YAML, and read.
    let config = Config::parse(
        "targets:\n  a:\n    url: x\n    mention: &oncall {mobiles: ['13800000000']}\n  b:\n    url: y\n    mention: *oncall\n",
    )
    .unwrap();
    assert_eq!(config.targets["b"].mobiles, ["13800000000"]);
}

#[test]
fn a_file_over_the_size_cap_is_refused() {
    let huge = format!("{OPS}# {}\n", "x".repeat(MAX_FILE_BYTES as usize));
    let err = Config::parse(&huge).unwrap_err();
    assert!(err.contains("KiB"), "{err}");
}
