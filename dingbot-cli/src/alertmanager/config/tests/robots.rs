//! A target's robots: several under `robots`, values from files, a proxy; what is
//! wrong with a value read from a file is described, never quoted.

use super::*;

fn file_with(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dingbot-config-robots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn several_robots_and_values_from_files_are_read() {
    let url = file_with(
        "url",
        "\n  https://oapi.dingtalk.com/robot/send?access_token=tok3  \n",
    );
    let secret = file_with("secret", "SECfromafile\n");
    let config = Config::parse(&format!(
        "targets:\n  ops:\n    proxy_url: http://user:pw@proxy:3128\n    robots:\n      \
         - url: tok1\n      - url: tok2\n        secret: SECtwo\n      \
         - url_file: {}\n        secret_file: {}\n",
        url.display(),
        secret.display()
    ))
    .unwrap();
    let ops = &config.targets["ops"];
    assert_eq!(ops.robots.len(), 3);
    assert_eq!(
        ops.robots[2].url.expose(),
        "https://oapi.dingtalk.com/robot/send?access_token=tok3",
        "trimmed"
    );
    assert_eq!(
        ops.robots[2].secret.as_ref().unwrap().expose(),
        "SECfromafile"
    );
    assert!(ops.robots[0].secret.is_none());
    assert_eq!(
        ops.proxy_url.as_ref().unwrap().expose(),
        "http://user:pw@proxy:3128"
    );
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("SECfromafile") && !debug.contains("user:pw"),
        "{debug}"
    );
}

#[test]
fn a_bad_value_in_a_file_is_described_never_quoted() {
    let secret = file_with("bad-secret", "hunter2-not-a-secret\n");
    let err = Config::parse(&format!(
        "targets:\n  ops:\n    url: tok\n    secret_file: {}\n",
        secret.display()
    ))
    .unwrap_err();
    assert!(
        err.starts_with("targets.ops.secret_file: ") && err.contains("starts with `SEC`"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
    let err = Config::parse("targets:\n  ops:\n    url_file: /surely/not/here\n").unwrap_err();
    assert!(
        err.contains("cannot read the file \"/surely/not/here\""),
        "{err}"
    );
    let empty = file_with("empty", " \n");
    let err = Config::parse(&format!(
        "targets:\n  ops:\n    url_file: {}\n",
        empty.display()
    ))
    .unwrap_err();
    assert!(err.contains("is empty"), "{err}");
}

#[test]
fn robots_and_url_together_or_none_are_refused() {
    let err = Config::parse("targets:\n  ops:\n    url: tok\n    robots:\n      - url: tok2\n")
        .unwrap_err();
    assert!(err.contains("or `robots` for several, not both"), "{err}");
    let err = Config::parse("targets:\n  ops:\n    robots: []\n").unwrap_err();
    assert!(err.contains("`robots` is empty"), "{err}");
    let err =
        Config::parse("targets:\n  ops:\n    url: tok\n    proxy_url: socks9://x:1\n").unwrap_err();
    assert!(
        err.starts_with("targets.ops.proxy_url: invalid proxy"),
        "{err}"
    );
}
