//! prometheus-webhook-dingtalk's templates rendered by `dingbot alertmanager render`
//! match Go's own `text/template` byte for byte: a small stdlib-only Go program
//! (`tests/go/render`) renders the same templates over the same notifications, with
//! the same functions, and the titles and texts are compared. Needs `go` (Debian's
//! `golang-go`): skipped without it, a failure under `CI=true`.

#[path = "programs/mod.rs"]
mod programs;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const DINGBOT: &str = env!("CARGO_BIN_EXE_dingbot");
const HERE: &str = env!("CARGO_MANIFEST_DIR");

/// The built-in templates as the bridge embeds them, which the Go program parses too.
fn builtin() -> PathBuf {
    Path::new(HERE).join("src/alertmanager/template/default.tmpl")
}

fn data(name: &str) -> PathBuf {
    Path::new(HERE).join("tests/data/templates").join(name)
}

/// The notifications every template is rendered over.
const FIXTURES: &[&str] = &[
    "firing",
    "resolved",
    "mixed",
    "unicode",
    "empty-annotations",
];

/// A case: template files, the message's title and text, and whether the target
/// mentions mobiles (only for templates that write `.AtMobiles` themselves; for the
/// others the bridge adds `@…`, which Go's renderer does not).
struct Case {
    name: &'static str,
    files: &'static [&'static str],
    title: &'static str,
    text: &'static str,
    mobiles: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "built-in ding.link (the default message)",
        files: &[],
        title: r#"{{ template "ding.link.title" . }}"#,
        text: r#"{{ template "ding.link.content" . }}"#,
        mobiles: &["13800000000", "13900000001"],
    },
    Case {
        name: "built-in default.*",
        files: &[],
        title: r#"{{ template "default.title" . }}"#,
        text: r#"{{ template "default.content" . }}"#,
        mobiles: &[],
    },
    Case {
        name: "built-in legacy.*",
        files: &[],
        title: r#"{{ template "legacy.title" . }}"#,
        text: r#"{{ template "legacy.content" . }}"#,
        mobiles: &[],
    },
    Case {
        name: "contrib/templates/legacy: ding.link.* redefined",
        files: &["legacy.tmpl"],
        title: r#"{{ template "ding.link.title" . }}"#,
        text: r#"{{ template "ding.link.content" . }}"#,
        mobiles: &[],
    },
    Case {
        name: "contrib/templates/issue43: __text_alert_list redefined, sprig's date",
        files: &["issue43.tmpl"],
        title: r#"{{ template "legacy.title" . }}"#,
        text: r#"{{ template "legacy.content" . }}"#,
        mobiles: &[],
    },
    Case {
        name: "a user's template: methods, times, sprig",
        files: &["custom.tmpl"],
        title: r#"{{ template "custom.title" . }}"#,
        text: r#"{{ template "custom.text" . }}"#,
        mobiles: &["13800000000"],
    },
    Case {
        name: "inline message text",
        files: &[],
        title: r#"{{ .Status | toUpper }} {{ .CommonLabels.alertname }}"#,
        text: "{{ range .Alerts }}{{ .Labels.instance | default \"-\" }} since {{ .StartsAt }} until {{ .EndsAt }} {{ .Annotations.description | markdown }}\n{{ end }}{{ .AtMobiles }} {{ len .CommonAnnotations }}",
        mobiles: &[],
    },
];

/// The Go program, built once into this test's target directory, offline.
fn go_renderer() -> Option<PathBuf> {
    let go = programs::program("go", "alertmanager_template_go")?;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("go-render");
    std::fs::create_dir_all(&dir).unwrap();
    let binary = dir.join("render");
    let status = Command::new(go)
        .args(["build", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(Path::new(HERE).join("tests/go/render"))
        .env("GOCACHE", dir.join("cache"))
        .env("GOPATH", dir.join("path"))
        .env("GOPROXY", "off")
        .env("GOFLAGS", "")
        .env("GOTOOLCHAIN", "local")
        .env("CGO_ENABLED", "0")
        .status()
        .expect("cannot run go build");
    assert!(status.success(), "go build of tests/go/render failed");
    Some(binary)
}

/// Times in templates that use the local zone (sprig's `date`) are in this one, for
/// both renderers.
const TZ: &str = "Asia/Shanghai";

fn go_render(renderer: &Path, case: &Case, fixture: &Path) -> (String, String) {
    let files: Vec<String> = case
        .files
        .iter()
        .map(|f| data(f).display().to_string())
        .collect();
    let out = Command::new(renderer)
        .arg("-builtin")
        .arg(builtin())
        .args([
            "-files",
            &files.join(","),
            "-title",
            case.title,
            "-text",
            case.text,
        ])
        .arg("-data")
        .arg(fixture)
        .args(["-mobiles", &case.mobiles.join(",")])
        .env("TZ", TZ)
        .output()
        .expect("cannot run the Go renderer");
    assert!(
        out.status.success(),
        "Go failed on {}: {}",
        case.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        json["title"].as_str().unwrap().to_owned(),
        json["text"].as_str().unwrap().to_owned(),
    )
}

fn dingbot_render(dir: &Path, case: &Case, fixture: &Path) -> (String, String) {
    let templates: Vec<String> = case
        .files
        .iter()
        .map(|f| format!("  - {}\n", serde_json::to_string(&data(f)).unwrap()))
        .collect();
    let config = format!(
        "templates:\n{}default_message:\n  title: {}\n  text: {}\ntargets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=x\n    mention:\n      mobiles: {}\n",
        if templates.is_empty() {
            "  []\n".to_owned()
        } else {
            templates.concat()
        },
        serde_json::to_string(case.title).unwrap(),
        serde_json::to_string(case.text).unwrap(),
        serde_json::to_string(case.mobiles).unwrap(),
    );
    let path = dir.join("config.yml");
    std::fs::write(&path, config).unwrap();
    let out = Command::new(DINGBOT)
        .args(["alertmanager", "render", "--json", "--config"])
        .arg(&path)
        .env("TZ", TZ)
        .stdin(std::fs::File::open(fixture).unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "dingbot failed on {}: {}",
        case.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&[u8]> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 1, "one message for {}", case.name);
    let payload: Value = serde_json::from_slice(lines[0]).unwrap();
    let markdown = &payload["markdown"];
    (
        markdown["title"].as_str().unwrap().to_owned(),
        markdown["text"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn templates_render_byte_for_byte_as_go_renders_them() {
    let Some(renderer) = go_renderer() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("dingbot-template-go-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut compared = 0;
    for case in CASES {
        for fixture in FIXTURES {
            let fixture = data(&format!("notifications/{fixture}.json"));
            let go = go_render(&renderer, case, &fixture);
            let ours = dingbot_render(&dir, case, &fixture);
            assert_eq!(
                ours.0,
                go.0,
                "title: {} on {}",
                case.name,
                fixture.display()
            );
            assert_eq!(ours.1, go.1, "text: {} on {}", case.name, fixture.display());
            compared += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(compared, CASES.len() * FIXTURES.len());
}
