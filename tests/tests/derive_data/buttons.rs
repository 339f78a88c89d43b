//! URLs built from templates, for buttons and body links: percent-encoded, opened where
//! the field says, and values in link titles kept inside them.

use dingbot::{DingMessage, Message};

use crate::body;

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
pub(crate) struct RefundRequest {
    pub(crate) id: String,
    pub(crate) agent: String,
    pub(crate) ticket: Option<u32>,
    #[ding(button = "Dashboard", open = "side_panel")]
    pub(crate) dashboard: String,
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
