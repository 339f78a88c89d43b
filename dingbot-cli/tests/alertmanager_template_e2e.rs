//! A real Alertmanager through the bridge with a custom Go template file: what reaches
//! the group (the emulator's log) is what the template says; a reload with the template
//! broken is refused, and the template that works stays in use.

mod alertmanager_util;

use alertmanager_util::{
    Alertmanager, Bridge, alert, config_for, fresh_dir, http, resolved, wait_for,
};
use dingbot::mock::MockServer;
use serde_json::json;

const TEMPLATE: &str = r#"{{ define "team.title" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join " " }}{{ end }}
{{ define "team.text" -}}
### Team template: {{ .CommonLabels.alertname }}
{{ range .Alerts -}}
- {{ .Labels.instance }} ({{ .Labels.severity | default "none" | upper }}) since {{ dateInZone "2006-01-02 15:04:05" .StartsAt "Asia/Shanghai" }}: {{ .Annotations.summary | markdown }}
{{ end -}}
{{ range .AtMobiles }}@{{ . }} {{ end }}
{{- end }}
"#;

#[tokio::test(flavor = "multi_thread")]
async fn alertmanager_through_the_bridge_renders_a_custom_template_file() {
    let test = "alertmanager_through_the_bridge_renders_a_custom_template_file";
    let dir = fresh_dir("template");
    std::fs::write(dir.join("team.tmpl"), TEMPLATE).unwrap();
    let server = MockServer::start().await.unwrap();
    let bridge = Bridge::start(
        &dir,
        &config_for(
            &server,
            "    mention:\n      mobiles: ['13800000000']\n    message:\n      title: '{{ template \"team.title\" . }}'\n      text: '{{ template \"team.text\" . }}'\n",
            "templates: ['team.tmpl']\n",
        ),
        &[],
    );
    let Some(am) = Alertmanager::start(
        &dir,
        test,
        &bridge.url("/dingtalk/ops/send"),
        &["alertname"],
    ) else {
        return;
    };
    let api_1 = alert(
        json!({"alertname": "HighLatency", "instance": "api-1:9100", "severity": "critical"}),
        json!({"summary": "p99 above 2s on api_1"}),
    );
    let api_2 = alert(
        json!({"alertname": "HighLatency", "instance": "api-2:9100"}),
        json!({"summary": "p99 above 3s"}),
    );
    am.post(&json!([api_1, api_2])).await;
    let texts = wait_for(&server, "the templated firing message", |t| {
        t.iter()
            .any(|m| m.contains("### Team template: HighLatency"))
    })
    .await;
    let text = texts.iter().find(|m| m.contains("Team template")).unwrap();
    // Alertmanager's start time, in the zone the template asks for.
    let started: jiff::Timestamp = api_1["startsAt"].as_str().unwrap().parse().unwrap();
    let shanghai = jiff::tz::TimeZone::get("Asia/Shanghai")
        .unwrap()
        .to_datetime(started)
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string();
    assert!(
        text.contains(&format!(
            "- api-1:9100 (CRITICAL) since {shanghai}: p99 above 2s on api\\_1\n"
        )),
        "{text}"
    );
    assert!(text.contains("- api-2:9100 (NONE) since "), "{text}");
    // The template wrote the mention: once, and in `at`.
    assert_eq!(text.matches("@13800000000").count(), 1, "{text}");
    let message = server
        .received()
        .into_iter()
        .find(|m| m.body().is_some_and(|b| b.contains("Team template")))
        .unwrap();
    assert_eq!(message.title(), Some("[FIRING:2] HighLatency"));
    assert!(
        message
            .at()
            .unwrap()
            .get_mobiles()
            .contains(&"13800000000".to_owned())
    );

    // A broken template: the reload is refused, naming the file and the line.
    std::fs::write(
        dir.join("team.tmpl"),
        "{{ define \"team.title\" }}\n{{ .Status | nosuch }}{{ end }}",
    )
    .unwrap();
    let answer = http().post(bridge.url("/-/reload")).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 500);
    let body = answer.text().await.unwrap();
    assert!(
        body.contains("team.tmpl") && body.contains(":2:") && body.contains("nosuch"),
        "{body}"
    );
    // The template that works stays in use.
    am.post(&json!([resolved(api_1), resolved(api_2)])).await;
    wait_for(&server, "the templated resolved message", |_| {
        server.received().iter().any(|m| {
            m.title() == Some("[RESOLVED] HighLatency")
                && m.body()
                    .is_some_and(|b| b.starts_with("### Team template: HighLatency"))
        })
    })
    .await;
    assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
}
