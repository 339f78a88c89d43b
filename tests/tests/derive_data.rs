//! Real data through the derive: `with` formatters, `list` fields of values, maps and
//! `DingItem` structs, optional sections, button URL templates, `flatten`, and mentions
//! added when sending.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use dingbot::{At, DingItem, DingMessage, Message};

fn body(msg: &impl DingMessage) -> String {
    msg.to_message().body().expect("has a body").to_owned()
}

fn cents(value: &u64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "¥{}.{:02}", value / 100, value % 100)
}

mod fmt_helpers {
    pub fn percent(value: &f64, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1}%_*", value * 100.0)
    }
}

#[derive(Debug)]
enum Stage {
    Canary,
    Full,
}

fn stage(value: &Stage, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(match value {
        Stage::Canary => "canary (5%)",
        Stage::Full => "everyone",
    })
}

#[derive(DingMessage)]
#[ding(title = "Order {id} paid: {amount}")]
struct OrderPaid {
    id: u64,
    #[ding(with = cents)]
    amount: u64,
    #[ding(with = "fmt_helpers::percent")]
    share: f64,
    #[ding(with = stage)]
    stage: Stage,
    #[ding(with = cents)]
    refund: Option<u64>,
}

#[test]
fn with_formats_values_and_they_are_still_escaped() {
    let event = OrderPaid {
        id: 7,
        amount: 12_345,
        share: 0.25,
        stage: Stage::Canary,
        refund: None,
    };
    let msg = event.to_message();
    assert_eq!(msg.title(), Some("Order 7 paid: ¥123.45"));
    assert_eq!(
        body(&event),
        "#### Order 7 paid: ¥123.45\n\n**Share**: 25.0%\\_\\*\n\n\
         **Stage**: canary (5%)"
    );
    let event = OrderPaid {
        refund: Some(5),
        stage: Stage::Full,
        ..event
    };
    assert!(body(&event).ends_with("**Stage**: everyone\n\n**Refund**: ¥0.05"));
}

#[derive(DingMessage)]
#[ding(title = "Nightly build")]
struct Nightly {
    #[ding(list, label = "Failed tests")]
    failed: Vec<String>,
    #[ding(list)]
    labels: BTreeMap<String, String>,
    #[ding(list, with = cents)]
    costs: BTreeMap<&'static str, u64>,
    #[ding(list, raw)]
    links: Vec<&'static str>,
}

#[test]
fn lists_of_values_and_maps() {
    let event = Nightly {
        failed: vec!["api::orders".into(), "- web_login\n# injected".into()],
        labels: BTreeMap::from([
            ("severity".into(), "page".into()),
            ("job".into(), "*node*".into()),
        ]),
        costs: BTreeMap::from([("ci", 1_050)]),
        links: vec!["[Logs](https://ci.example.com/1)"],
    };
    assert_eq!(
        body(&event),
        "#### Nightly build\n\n\
         **Failed tests**:\n\n- api::orders\n- \\- web\\_login  \n  \\# injected\n\n\
         **Labels**:\n\n- **job**: \\*node\\*\n- **severity**: page\n\n\
         **Costs**:\n\n- **ci**: ¥10.50\n\n\
         **Links**:\n\n- [Logs](https://ci.example.com/1)"
    );
    // Empty lists leave their line out.
    let empty = Nightly {
        failed: Vec::new(),
        labels: BTreeMap::new(),
        costs: BTreeMap::new(),
        links: Vec::new(),
    };
    assert_eq!(body(&empty), "#### Nightly build");
}

#[test]
fn a_hash_map_is_a_list_too() {
    #[derive(DingMessage)]
    #[ding(title = "Labels")]
    struct Labels {
        #[ding(list)]
        labels: HashMap<String, u32>,
    }
    let event = Labels {
        labels: HashMap::from([("a".into(), 1)]),
    };
    assert_eq!(body(&event), "#### Labels\n\n**Labels**:\n\n- **a**: 1");
}

#[derive(DingItem)]
#[ding(item = "**{name}** on {host}{#note}: {note}{/note}")]
struct Check {
    name: String,
    host: String,
    note: Option<String>,
    #[ding(skip)]
    #[allow(dead_code)]
    internal: u8,
}

#[derive(DingItem)]
struct Service {
    name: String,
    #[ding(label = "Version")]
    version: String,
    owner: Option<String>,
    #[ding(list)]
    checks: Vec<Check>,
}

#[derive(DingMessage)]
#[ding(
    title = "Status of {env}",
    body = "Environment **{env}**\n\n{services}{#retired}\n\nRetired:\n{retired}{/retired}"
)]
struct Status {
    env: String,
    #[ding(list)]
    services: Vec<Service>,
    #[ding(list)]
    retired: Vec<String>,
}

#[test]
fn items_from_templates_and_the_default_rendering_nest() {
    let event = Status {
        env: "prod".into(),
        services: vec![
            Service {
                name: "api".into(),
                version: "1.4_rc".into(),
                owner: None,
                checks: vec![
                    Check {
                        name: "health".into(),
                        host: "db-1".into(),
                        note: Some("slow *9s*".into()),
                        internal: 0,
                    },
                    Check {
                        name: "# disk".into(),
                        host: "db-2".into(),
                        note: None,
                        internal: 0,
                    },
                ],
            },
            Service {
                name: "web".into(),
                version: "2".into(),
                owner: Some("@ops".into()),
                checks: Vec::new(),
            },
        ],
        retired: Vec::new(),
    };
    assert_eq!(
        body(&event),
        "Environment **prod**\n\n\
         - **Name**: api, **Version**: 1.4\\_rc\n  \
         - **health** on db-1: slow \\*9s\\*\n  \
         - **\\# disk** on db-2\n\
         - **Name**: web, **Version**: 2, **Owner**: @\u{200B}ops"
    );
    let event = Status {
        retired: vec!["legacy".into()],
        services: Vec::new(),
        ..event
    };
    assert_eq!(
        body(&event),
        "Environment **prod**\n\n\n\nRetired:\n- legacy"
    );
}

#[derive(DingMessage)]
#[ding(
    title = "Deploy {service}",
    body = "{#reason}Reason: {reason}\n\n{/reason}[Diff]({diff}) [Job](https://ci.example.com/jobs/{job})"
)]
struct DeployNote {
    service: String,
    reason: Option<String>,
    diff: String,
    job: String,
}

#[test]
fn optional_sections_and_link_targets() {
    let event = DeployNote {
        service: "api".into(),
        reason: None,
        diff: "https://git.example.com/a_b/compare?x=1&y=2".into(),
        job: "nightly build/7".into(),
    };
    assert_eq!(
        body(&event),
        "[Diff](https://git.example.com/a_b/compare?x=1&y=2) \
         [Job](https://ci.example.com/jobs/nightly%20build%2F7)"
    );
    let event = DeployNote {
        reason: Some("hotfix_1".into()),
        ..event
    };
    assert!(body(&event).starts_with("Reason: hotfix\\_1\n\n[Diff]"));
}

#[derive(DingMessage)]
#[ding(
    action_card,
    title = "Refund {id}",
    button(
        text = "Approve",
        url = "https://crm.example.com/orders/{id}/approve?by={agent}"
    ),
    button(
        text = "Open",
        url = "https://crm.example.com/orders/{id}",
        open = "side_panel"
    ),
    button(
        text = "Ticket",
        url = "https://help.example.com/{ticket}",
        open = "browser"
    )
)]
struct RefundRequest {
    id: String,
    agent: String,
    ticket: Option<u32>,
    #[ding(button = "Dashboard", open = "side_panel")]
    dashboard: String,
}

#[test]
fn button_urls_from_templates_are_percent_encoded() {
    let event = RefundRequest {
        id: "A/7 8".into(),
        agent: "li_lei&co".into(),
        ticket: None,
        dashboard: "https://grafana.example.com/d/x".into(),
    };
    let Message::ActionCard(card) = event.to_message() else {
        panic!("an action card")
    };
    let buttons: Vec<(&str, &str)> = card
        .buttons()
        .iter()
        .map(|b| (b.title(), b.action_url()))
        .collect();
    assert_eq!(
        buttons,
        [
            (
                "Approve",
                "https://crm.example.com/orders/A%2F7%208/approve?by=li_lei%26co"
            ),
            (
                "Open",
                "dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fcrm%2Eexample%2Ecom%2Forders%2FA%252F7%25208&pc_slide=true"
            ),
            (
                "Dashboard",
                "dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fgrafana%2Eexample%2Ecom%2Fd%2Fx&pc_slide=true"
            ),
        ]
    );
    let event = RefundRequest {
        ticket: Some(31),
        ..event
    };
    let Message::ActionCard(card) = event.to_message() else {
        panic!("an action card")
    };
    assert_eq!(card.buttons().len(), 4);
    assert!(
        card.buttons()[2]
            .action_url()
            .ends_with("%2F31&pc_slide=false")
    );
    dingbot::Payload::new(&Message::from(card)).expect("DingTalk accepts the card");
}

#[derive(DingMessage)]
#[ding(title = "unused")]
struct Common {
    service: String,
    #[ding(label = "Env")]
    environment: String,
    #[ding(skip)]
    #[allow(dead_code)]
    region: String,
}

#[derive(DingMessage)]
enum Deploy {
    #[ding(title = "Deploy of {version} started")]
    Started {
        version: String,
        #[ding(flatten)]
        common: Common,
    },
    #[ding(title = "Deploy failed", body = "Failed at **{step}**\n\n{common}")]
    Failed {
        step: String,
        #[ding(flatten)]
        common: Common,
    },
}

#[test]
fn flatten_joins_the_lines_of_another_message() {
    let common = || Common {
        service: "api_gw".into(),
        environment: "prod".into(),
        region: "cn".into(),
    };
    assert_eq!(
        body(&Deploy::Started {
            version: "1.2".into(),
            common: common()
        }),
        "#### Deploy of 1.2 started\n\n**Service**: api\\_gw\n\n**Env**: prod"
    );
    assert_eq!(
        body(&Deploy::Failed {
            step: "migrate".into(),
            common: common()
        }),
        "Failed at **migrate**\n\n**Service**: api\\_gw\n\n**Env**: prod"
    );
}

#[test]
fn mentions_added_at_send_time_are_written_into_the_body() {
    let event = Deploy::Started {
        version: "1.2".into(),
        common: Common {
            service: "api".into(),
            environment: "prod".into(),
            region: "cn".into(),
        },
    };
    let oncall = vec!["13800000000".to_owned()];
    let msg = event
        .to_message()
        .with_at(At::mobiles(&oncall).and(At::user_ids(["manager4220"])))
        .expect("markdown can mention");
    assert_eq!(msg.at().unwrap().get_mobiles(), oncall);
    assert!(
        msg.body()
            .unwrap()
            .ends_with("\n\n@13800000000 @manager4220"),
        "{msg:?}"
    );

    // Nobody to mention is fine for any message; someone is an error for a card.
    let card = RefundRequest {
        id: "1".into(),
        agent: "a".into(),
        ticket: None,
        dashboard: "https://a.example/".into(),
    };
    assert!(card.to_message().with_at(At::none()).is_ok());
    let err = card.to_message().with_at(At::all()).unwrap_err();
    assert!(matches!(err, dingbot::Error::InvalidMessage { .. }));
    assert!(err.to_string().contains("actionCard"), "{err}");
}

#[derive(DingMessage)]
#[ding(title = "{title}")]
struct Report<T, K> {
    title: String,
    #[ding(list)]
    rows: Vec<T>,
    #[ding(list)]
    totals: BTreeMap<K, T>,
}

#[derive(DingItem)]
#[ding(item = "{name}: {value}")]
struct Pair<V> {
    name: &'static str,
    value: V,
}

#[test]
fn generic_lists_infer_their_bounds() {
    let report = Report {
        title: "Weekly".into(),
        rows: vec![1.5, 2.0],
        totals: BTreeMap::from([("sum", 3.5)]),
    };
    assert_eq!(
        body(&report),
        // A number that starts an item has its `.` escaped: `- 1. x` would be a list.
        "#### Weekly\n\n**Rows**:\n\n- 1\\.5\n- 2\n\n**Totals**:\n\n- **sum**: 3.5"
    );
    let report = Report {
        title: "Pairs".into(),
        rows: vec![Pair {
            name: "a_b",
            value: 1,
        }],
        totals: BTreeMap::<u8, Pair<u8>>::new(),
    };
    assert_eq!(body(&report), "#### Pairs\n\n**Rows**:\n\n- a\\_b: 1");
}

#[derive(DingMessage)]
#[ding(
    title = "Dashboards",
    body = "[Grafana]({grafana}) [Runbook]({runbook})"
)]
struct Dashboards {
    #[ding(open = "side_panel")]
    grafana: String,
    #[ding(open = "browser")]
    runbook: String,
}

#[test]
fn template_links_open_where_the_field_says() {
    let links = Dashboards {
        grafana: "https://grafana.example.com/d/1?from=now-1h".into(),
        runbook: "https://wiki.example.com/Disk (full)".into(),
    };
    assert_eq!(
        body(&links),
        "[Grafana](dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fgrafana%2Eexample%2Ecom%2Fd%2F1%3Ffrom%3Dnow%2D1h&pc_slide=true) \
         [Runbook](dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fwiki%2Eexample%2Ecom%2FDisk%20%28full%29&pc_slide=false)"
    );
}

/// A derived list message with mentions added when sending, through a robot to the
/// emulator: what DingTalk receives is the rendered list and the `@` that notifies.
#[tokio::test]
async fn a_derived_list_with_mentions_added_when_sending_reaches_the_emulator() {
    let server = dingbot::mock::MockServer::start().await.unwrap();
    let robot = dingbot::Robot::new(server.webhook_url()).unwrap();
    let event = Nightly {
        failed: vec!["api::orders".into()],
        labels: BTreeMap::from([("branch".into(), "main".into())]),
        costs: BTreeMap::new(),
        links: Vec::new(),
    };
    let msg = event
        .to_message()
        .with_at(At::mobiles(["13800000000"]))
        .unwrap();
    robot.send(&msg).await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].body(),
        Some(
            "#### Nightly build\n\n**Failed tests**:\n\n- api::orders\n\n\
             **Labels**:\n\n- **branch**: main\n\n@13800000000"
        )
    );
    assert_eq!(
        received[0].at().unwrap().get_mobiles(),
        ["13800000000".to_owned()]
    );
}

/// One struct, both derives: a message of its own, and an item of another's list.
#[derive(DingMessage, DingItem)]
#[ding(title = "Check {name} is {state}", item = "**{name}**: {state}")]
struct CheckState {
    name: String,
    state: String,
}

#[test]
fn a_struct_may_be_a_message_and_an_item() {
    #[derive(DingMessage)]
    #[ding(title = "Checks")]
    struct Checks {
        #[ding(list)]
        checks: Vec<CheckState>,
    }
    let check = || CheckState {
        name: "disk".into(),
        state: "ok_ish".into(),
    };
    assert_eq!(check().to_message().title(), Some("Check disk is ok_ish"));
    assert_eq!(
        body(&Checks {
            checks: vec![check(), check()]
        }),
        "#### Checks\n\n**Checks**:\n\n- **disk**: ok\\_ish\n- **disk**: ok\\_ish"
    );
}

#[test]
fn text_messages_have_sections_too_and_empty_lists_write_nothing() {
    #[derive(DingMessage)]
    #[ding(
        text,
        body = "Backup of {host} done{#warning} (warning: {warning}){/warning}."
    )]
    struct BackupDone {
        host: String,
        warning: Option<String>,
    }
    let done = BackupDone {
        host: "db-1".into(),
        warning: None,
    };
    assert_eq!(body(&done), "Backup of db-1 done.");
    let done = BackupDone {
        warning: Some("slow *disk*".into()),
        ..done
    };
    assert_eq!(body(&done), "Backup of db-1 done (warning: slow *disk*).");

    #[derive(DingMessage)]
    #[ding(title = "Queue", body = "Stuck:\n{stuck}")]
    struct Queue {
        #[ding(list)]
        stuck: Option<Vec<u32>>,
    }
    assert_eq!(body(&Queue { stuck: None }), "Stuck:\n");
    assert_eq!(
        body(&Queue {
            stuck: Some(vec![])
        }),
        "Stuck:\n"
    );
    assert_eq!(
        body(&Queue {
            stuck: Some(vec![4, 2])
        }),
        "Stuck:\n- 4\n- 2"
    );
}

/// Values that must never become a link or button DingTalk opens: other schemes, however
/// written, `dingtalk://` URLs (which can carry any URL or client action), and nothing.
const HOSTILE: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "\u{1}javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript%3Aalert(1)",
    "%6Aavascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "vbscript:msgbox(1)",
    "ftp://files.example.com/x",
    "dingtalk://dingtalkclient/page/link?url=javascript%3Aalert(1)&pc_slide=true",
    "DingTalk://dingtalkclient/action/sendmsg?dingtalk_id=x",
    "//evil.example/x",
    "/relative",
    "",
    " ",
];

/// The scheme of `url` when it is absolute, lowercased.
fn scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then(|| scheme.to_ascii_lowercase())
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What DingTalk opens for a link or button URL: the URL inside a
/// `dingtalk://dingtalkclient/page/link?url=...`, else the URL itself; `None` for a
/// relative one, which opens nothing.
fn opens(url: &str) -> Option<String> {
    let url = as_browsers_read(url);
    let scheme = scheme(&url)?;
    let link = "dingtalk://dingtalkclient/page/link?url=";
    if scheme == "dingtalk"
        && url.len() > link.len()
        && url.is_char_boundary(link.len())
        && url[..link.len()].eq_ignore_ascii_case(link)
    {
        let inner = url[link.len()..].split('&').next().unwrap_or_default();
        return opens(&percent_decode(inner));
    }
    Some(url)
}

/// `url` as a browser reads it: without tabs and line breaks, and without control
/// characters and spaces around it.
fn as_browsers_read(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// Every link target in a markdown body.
fn link_targets(body: &str) -> Vec<&str> {
    body.match_indices("](")
        .map(|(at, _)| {
            let rest = &body[at + 2..];
            &rest[..rest.find([')', ' ']).unwrap_or(rest.len())]
        })
        .collect()
}

fn is_web(url: &str) -> bool {
    url.trim() == url && matches!(scheme(url).as_deref(), Some("http" | "https"))
}

#[derive(DingMessage)]
#[ding(
    title = "Links",
    body = "[Plain]({plain}) [Side]({side}) [Browser]({browser})"
)]
struct Links {
    plain: String,
    #[ding(open = "side_panel")]
    side: String,
    #[ding(open = "browser")]
    browser: String,
}

#[derive(DingMessage)]
#[ding(action_card, title = "Buttons")]
struct Buttons {
    #[ding(button = "Plain")]
    plain: String,
    #[ding(button = "Side", open = "side_panel")]
    side: String,
    #[ding(button = "Browser", open = "browser")]
    browser: String,
}

/// A body link or button made from `value`, with and without `open`, is refused or
/// inert, or opens an http(s) URL.
fn check_links_and_buttons(value: &str) -> Result<(), String> {
    let links = Links {
        plain: value.into(),
        side: value.into(),
        browser: value.into(),
    };
    let md = body(&links);
    let targets = link_targets(&md);
    if targets.len() != 3 {
        return Err(format!("{value:?}: a value formed or hid a link: {md}"));
    }
    for target in targets {
        if let Some(url) = opens(target) {
            if !is_web(&url) {
                return Err(format!("{value:?}: body links to {url:?}: {md}"));
            }
        }
    }
    let msg = Buttons {
        plain: value.into(),
        side: value.into(),
        browser: value.into(),
    }
    .to_message();
    let Message::ActionCard(card) = &msg else {
        return Err("not an action card".into());
    };
    // A `dingtalk://` URL in a button field is the button's own URL, as without `open`:
    // `open` never wraps it.
    if scheme(&as_browsers_read(value)).as_deref() == Some("dingtalk") {
        if card
            .buttons()
            .iter()
            .any(|b| b.action_url() != value.trim())
        {
            return Err(format!("{value:?}: a dingtalk:// button URL was wrapped"));
        }
        return Ok(());
    }
    if msg.validate().is_ok() {
        for b in card.buttons() {
            let url = opens(b.action_url());
            if !url.as_deref().is_some_and(is_web) {
                return Err(format!("{value:?}: a button opens {url:?}"));
            }
        }
    }
    Ok(())
}

#[test]
fn open_wraps_only_http_urls_in_links_and_buttons() {
    for value in HOSTILE {
        check_links_and_buttons(value).unwrap();
        // Without `open` as with it: refused, or not linked.
        let links = Links {
            plain: value.to_string(),
            side: value.to_string(),
            browser: value.to_string(),
        };
        let md = body(&links);
        assert!(!md.contains("dingtalk://"), "{value:?}: {md}");
        let card = Buttons {
            plain: "https://a.example/".into(),
            side: value.to_string(),
            browser: "https://a.example/".into(),
        };
        if scheme(&as_browsers_read(value)).as_deref() != Some("dingtalk") {
            assert!(card.to_message().validate().is_err(), "{value:?}");
        }
    }
    // http(s) still opens where the field says.
    let links = Links {
        plain: "https://a.example/x_y".into(),
        side: " HTTPS://a.example/x ".into(),
        browser: "http://a.example/(y)".into(),
    };
    assert_eq!(
        body(&links),
        "[Plain](https://a.example/x_y) \
         [Side](dingtalk://dingtalkclient/page/link?url=HTTPS%3A%2F%2Fa%2Eexample%2Fx&pc_slide=true) \
         [Browser](dingtalk://dingtalkclient/page/link?url=http%3A%2F%2Fa%2Eexample%2F%28y%29&pc_slide=false)"
    );
    let card = Buttons {
        plain: "https://a.example/p".into(),
        side: "https://a.example/s".into(),
        browser: " https://a.example/b".into(),
    }
    .to_message();
    card.validate().unwrap();
    let Message::ActionCard(card) = card else {
        panic!("an action card")
    };
    assert_eq!(
        card.buttons()
            .iter()
            .map(|b| b.action_url())
            .collect::<Vec<_>>(),
        [
            "https://a.example/p",
            "dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fa%2Eexample%2Fs&pc_slide=true",
            "dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fa%2Eexample%2Fb&pc_slide=false",
        ]
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Any scheme, in any case, after any whitespace or control character, with its
    /// colon written as it is or percent-encoded.
    #[test]
    fn no_value_links_or_opens_a_non_http_url(
        lead in "[ \t\r\n\u{0}\u{1}\u{b}\u{c}]{0,2}",
        scheme in proptest::sample::select(vec![
            "javascript", "data", "file", "vbscript", "dingtalk", "http", "https", "ftp", "",
        ]),
        upper in proptest::collection::vec(proptest::bool::ANY, 10),
        colon in proptest::sample::select(vec![":", "://", "%3A", "%3a//", "&#58;", ""]),
        rest in "[a-z/().%:?&=\"' _-]{0,16}",
    ) {
        let scheme: String = scheme
            .chars()
            .zip(upper.iter().cycle())
            .map(|(c, up)| if *up { c.to_ascii_uppercase() } else { c })
            .collect();
        let value = format!("{lead}{scheme}{colon}{rest}");
        if let Err(e) = check_links_and_buttons(&value) {
            return Err(proptest::test_runner::TestCaseError::fail(e));
        }
    }
}

#[derive(DingMessage)]
#[ding(
    title = "Runbook",
    body = "[Runbook](https://wiki.example.com/x \"{note}\") [Alt](https://a.example/ '{note}') [P](https://a.example/ ({note})) after"
)]
struct TitledLink {
    note: String,
}

#[test]
fn values_in_link_titles_cannot_end_the_title_or_the_link() {
    let event = TitledLink {
        note: r#"x") [evil](https://evil.example) ' ( \"#.into(),
    };
    let escaped = r#"x\"\) \[evil\]\(https://evil.example\) \' \( \\"#;
    assert_eq!(
        body(&event),
        format!(
            "[Runbook](https://wiki.example.com/x \"{escaped}\") \
             [Alt](https://a.example/ '{escaped}') [P](https://a.example/ ({escaped})) after"
        )
    );
    assert_eq!(
        body(&TitledLink {
            note: "On call: li_lei".into()
        }),
        "[Runbook](https://wiki.example.com/x \"On call: li\\_lei\") \
         [Alt](https://a.example/ 'On call: li\\_lei') [P](https://a.example/ (On call: li\\_lei)) after"
    );
}
