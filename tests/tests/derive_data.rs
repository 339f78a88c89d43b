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
