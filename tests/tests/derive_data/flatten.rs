//! `flatten`, and mentions added when sending, up to what the emulator receives.

use std::collections::BTreeMap;

use dingbot::{At, DingMessage};

use crate::body;
use crate::buttons::RefundRequest;
use crate::values::Nightly;

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
