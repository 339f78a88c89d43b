//! The two examples from DESIGN.md, rendered to DingTalk's exact JSON.

use dingbot::{DingMessage, Message};
use serde_json::json;

#[derive(DingMessage)]
#[ding(markdown, title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
    #[ding(label = "Customer")]
    customer: String,
    reason: Option<String>, // a None line is left out
    #[ding(skip)]
    #[allow(dead_code)]
    trace: Vec<u8>,
    #[ding(at_mobiles)]
    oncall: Vec<String>,
}

#[derive(DingMessage)]
#[ding(action_card, title = "Deploy {service}", orientation = "horizontal")]
struct DeployApproval {
    service: String,
    #[ding(button = "Approve")]
    approve_url: String,
    #[ding(button = "Reject")]
    reject_url: String,
}

fn json(msg: &impl DingMessage) -> serde_json::Value {
    serde_json::to_value(msg.to_message()).expect("serializes")
}

#[test]
fn order_failed() {
    let event = OrderFailed {
        id: 42,
        customer: "ACME Corp".into(),
        reason: Some("card declined".into()),
        trace: vec![1, 2, 3],
        oncall: vec!["13800000000".into(), "13900000000".into()],
    };
    assert_eq!(
        json(&event),
        json!({
            "msgtype": "markdown",
            "markdown": {
                "title": "Order 42 failed",
                "text": "#### Order 42 failed\n\n\
                         **Customer**: ACME Corp\n\n\
                         **Reason**: card declined\n\n\
                         @13800000000 @13900000000"
            },
            "at": { "atMobiles": ["13800000000", "13900000000"], "isAtAll": false }
        })
    );
}

#[test]
fn order_failed_without_reason_or_oncall() {
    let event = OrderFailed {
        id: 7,
        customer: "*Evil* [x](https://evil.example)".into(),
        reason: None,
        trace: Vec::new(),
        oncall: Vec::new(),
    };
    assert_eq!(
        json(&event),
        json!({
            "msgtype": "markdown",
            "markdown": {
                "title": "Order 7 failed",
                "text": "#### Order 7 failed\n\n\
                         **Customer**: \\*Evil\\* \\[x\\](https://evil.example)"
            }
        })
    );
}

#[test]
fn deploy_approval() {
    let event = DeployApproval {
        service: "api".into(),
        approve_url: "https://ci.example.com/deploys/17/approve".into(),
        reject_url: "https://ci.example.com/deploys/17/reject".into(),
    };
    assert_eq!(
        json(&event),
        json!({
            "msgtype": "actionCard",
            "actionCard": {
                "title": "Deploy api",
                "text": "#### Deploy api",
                "btnOrientation": "1",
                "btns": [
                    { "title": "Approve", "actionURL": "https://ci.example.com/deploys/17/approve" },
                    { "title": "Reject", "actionURL": "https://ci.example.com/deploys/17/reject" }
                ]
            }
        })
    );
    let msg: Message = event.to_message();
    msg.validate().expect("DingTalk accepts it");
}
