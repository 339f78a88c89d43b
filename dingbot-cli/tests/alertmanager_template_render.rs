//! `dingbot alertmanager render`, through the built binary: the messages a config's
//! templates make of a notification, printed and not sent; a broken template refused
//! with its file and line; mentions and splitting applied to what templates produce.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

const DINGBOT: &str = env!("CARGO_BIN_EXE_dingbot");

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/templates/notifications")
        .join(format!("{name}.json"));
    std::fs::read_to_string(path).unwrap()
}

fn dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dingbot-render-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `dingbot alertmanager render` with `config` (written into `dir`) and `args`,
/// the notification on stdin.
fn render(dir: &Path, config: &str, args: &[&str], notification: &str) -> Output {
    let path = dir.join("config.yml");
    std::fs::write(&path, config).unwrap();
    let mut child = Command::new(DINGBOT)
        .args(["alertmanager", "render", "--config"])
        .arg(&path)
        .args(args)
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(notification.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn payloads(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

const URL: &str = "https://oapi.dingtalk.com/robot/send?access_token=x";

#[test]
fn a_templates_messages_are_printed_per_target_without_sending() {
    let dir = dir("print");
    std::fs::write(
        dir.join("ops.tmpl"),
        "{{ define \"ops.title\" }}{{ .Alerts.Firing | len }} firing in {{ .GroupLabels.job }}{{ end }}\n\
         {{ define \"ops.text\" }}{{ range .Alerts }}- {{ .Labels.instance }}: {{ .Annotations.description }}\n{{ end }}{{ end }}\n",
    )
    .unwrap();
    // A relative pattern is found next to the config file.
    let config = format!(
        "templates: ['*.tmpl']\ntargets:\n  ops:\n    url: {URL}\n    message:\n      title: '{{{{ template \"ops.title\" . }}}}'\n      text: '{{{{ template \"ops.text\" . }}}}'\n  dev:\n    url: {URL}\n"
    );
    let out = render(&dir, &config, &["--target", "ops"], &fixture("firing"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout,
        "==> target ops message 1/1\ntitle: 2 firing in api\n\n\
         - api-1:9100: api-1 answers slowly\n- api-2:9100: api-2 answers slowly\n\n\n"
    );
    // Every target: `dev` has no message of its own and renders the built-in default.
    let all = payloads(&render(&dir, &config, &["--json"], &fixture("firing")));
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["msgtype"], "markdown");
    assert_eq!(
        all[0]["markdown"]["title"],
        "[FIRING:2] HighLatency api (critical payments)"
    );
    assert_eq!(all[1]["markdown"]["title"], "2 firing in api");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_config_without_templates_keeps_dingbots_own_layout() {
    let dir = dir("own");
    let config = format!("targets:\n  ops:\n    url: {URL}\n");
    let messages = payloads(&render(&dir, &config, &["--json"], &fixture("firing")));
    let text = messages[0]["markdown"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("#### 🔥 \\[FIRING:2\\] HighLatency api"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_template_exits_with_its_file_line_and_error() {
    let dir = dir("broken");
    let config = format!("templates: ['broken.tmpl']\ntargets:\n  ops:\n    url: {URL}\n");
    for (template, error) in [
        (
            "{{ define \"x\" }}\nfine\n{{ if .Status }}\n{{ end }}\n{{ .Status | nosuch }}\n{{ end }}",
            ":5: function \"nosuch\" not defined",
        ),
        (
            "{{ define \"x\" }}\n\n{{ .Status | }}\n{{ end }}",
            "broken.tmpl:3",
        ),
        (
            "{{ define \"x\" }}\n\n{{ if .Status }}\nx\n",
            ":1: unexpected EOF",
        ),
        (
            "{{ define \"x\" }}{{ template \"nowhere\" . }}{{ end }}",
            ":1: no such template \"nowhere\"",
        ),
    ] {
        std::fs::write(dir.join("broken.tmpl"), template).unwrap();
        let out = render(&dir, &config, &[], &fixture("firing"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{template}");
        assert!(out.stdout.is_empty());
        assert!(stderr.contains("broken.tmpl"), "{stderr}");
        assert!(stderr.contains(error), "{error} in {stderr}");
    }
    // A message failing on the notification itself: the key and Go's error.
    let config = format!(
        "targets:\n  ops:\n    url: {URL}\n    message:\n      title: '{{{{ index .Alerts 5 }}}}'\n"
    );
    let out = render(&dir, &config, &[], &fixture("firing"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("targets.ops.message.title") && stderr.contains("index out of range"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mentions_go_into_at_and_into_the_text_only_where_the_template_has_not_written_them() {
    let dir = dir("mentions");
    let target = "    mention:\n      mobiles: ['13800000000']\n      user_ids: ['manager4711']\n";
    // The built-in default writes `.AtMobiles` itself: each mobile once; the user id,
    // which it does not write, added.
    let config = format!("default_message: {{}}\ntargets:\n  ops:\n    url: {URL}\n{target}");
    let message = &payloads(&render(&dir, &config, &["--json"], &fixture("firing")))[0];
    let text = message["markdown"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("#### \\[FIRING:2\\] **[HighLatency]("),
        "{text}"
    );
    assert!(
        text.contains("\n@13800000000\n"),
        "where the template writes it: {text}"
    );
    assert_eq!(text.matches("@13800000000").count(), 1, "{text}");
    assert_eq!(text.matches("@manager4711").count(), 1, "{text}");
    assert_eq!(message["at"]["atMobiles"], json!(["13800000000"]));
    assert_eq!(message["at"]["atUserIds"], json!(["manager4711"]));
    // The legacy template writes none: both added.
    let config = format!(
        "default_message:\n  title: '{{{{ template \"legacy.title\" . }}}}'\n  text: '{{{{ template \"legacy.content\" . }}}}'\ntargets:\n  ops:\n    url: {URL}\n{target}"
    );
    let message = &payloads(&render(&dir, &config, &["--json"], &fixture("firing")))[0];
    let text = message["markdown"]["text"].as_str().unwrap();
    assert!(
        text.contains("**Labels**\n> - alertname: HighLatency"),
        "{text}"
    );
    assert!(text.ends_with("@13800000000 @manager4711"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_group_too_large_for_one_message_is_split_into_parts_that_fit() {
    let dir = dir("split");
    let mut notification: Value = serde_json::from_str(&fixture("firing")).unwrap();
    let alert = notification["alerts"][0].clone();
    let alerts: Vec<Value> = (0..60)
        .map(|i| {
            let mut a = alert.clone();
            a["labels"]["instance"] = json!(format!("api-{i}"));
            a["annotations"]["description"] = json!("slow ".repeat(200));
            a
        })
        .collect();
    notification["alerts"] = json!(alerts);
    let config = format!(
        "default_message:\n  title: '{{{{ template \"legacy.title\" . }}}}'\n  text: '{{{{ template \"legacy.content\" . }}}}'\ntargets:\n  ops:\n    url: {URL}\n"
    );
    let out = render(&dir, &config, &["--json"], &notification.to_string());
    let messages = payloads(&out);
    assert!(messages.len() > 1, "{} message(s)", messages.len());
    let lines = String::from_utf8(out.stdout).unwrap();
    for (i, (message, line)) in messages.iter().zip(lines.lines()).enumerate() {
        assert!(line.len() <= 20_000, "message {i} is {} bytes", line.len());
        let title = message["markdown"]["title"].as_str().unwrap();
        assert!(
            title.ends_with(&format!(" ({}/{})", i + 1, messages.len())),
            "{title}"
        );
    }
    // Every alert is in one of them.
    for i in 0..60 {
        let needle = format!("instance: api-{i}\n");
        assert_eq!(
            lines.matches(&needle.replace('\n', "\\n")).count(),
            1,
            "api-{i}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
