//! `#[derive(DingItem)]` structs as the items of `list` fields: from their template or
//! the default rendering, nested.

use dingbot::{DingItem, DingMessage};

use crate::body;

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
