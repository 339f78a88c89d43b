//! Configs that would leave the bridge useless: no targets, a zero duration, a static
//! mention the library refuses, a key named twice, an alias bomb, a huge file.

use super::*;

#[test]
fn a_config_without_targets_is_refused() {
    for text in [
        "",
        "  \n",
        "# only a comment\n",
        "timeout: 5s\n",
        "targets:\n",
    ] {
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
    for key in ["timeout", "dedup_window", "drain_timeout", "hold_for"] {
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
            let err = with_ops(&format!(
                "    mention:\n      all: true\n      {key}: ['13800000000', \"{bad}\"]\n"
            ))
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
    let err =
        with_ops("    url: https://oapi.dingtalk.com/robot/send?access_token=def\n").unwrap_err();
    assert!(
        err.starts_with("targets.ops: `url` is named twice")
            && err.ends_with(" at line 4 column 5"),
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
    let mut nested = format!(
        "{OPS}    mention: &m\n      mobiles: [&p '13800000000', {}]\n",
        vec!["*p"; 1000].join(", ")
    );
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
