//! Messages as the OpenAPI's templates: each type to its `msgKey`, what has none named
//! by its type, and a derived event through `AppRobot` to the emulator.

use dingbot::mock::MockServer;
use dingbot::{
    ActionCard, AppMessage, AppRobot, DingMessage, Error, FeedCard, Markdown, Message, Orientation,
    Text,
};

#[test]
fn messages_map_to_templates_or_name_their_type() {
    let key = |m: &dyn DingMessage| AppMessage::from_message(m).map(|a| a.msg_key().to_owned());
    let card = ActionCard::new("t", "body");
    assert_eq!(
        key(&card.clone().single_button("Go", "https://a.example")).unwrap(),
        "sampleActionCard"
    );
    assert_eq!(
        key(&card.clone().button("A", "https://a.example")).unwrap(),
        "sampleActionCard"
    );
    let two = card
        .clone()
        .button("A", "https://a.example")
        .button("B", "https://b.example");
    assert_eq!(key(&two).unwrap(), "sampleActionCard2");
    assert_eq!(
        key(&two.clone().orientation(Orientation::Horizontal)).unwrap(),
        "sampleActionCard6"
    );
    let five = (0..5).fold(card.clone(), |c, i| {
        c.button(format!("B{i}"), "https://a.example")
    });
    assert_eq!(key(&five).unwrap(), "sampleActionCard5");
    let six = five.button("B5", "https://a.example");
    assert!(matches!(
        key(&six),
        Err(Error::NoAppTemplate {
            message_type: "ActionCard",
            ..
        })
    ));
    let feed = FeedCard::new().link("t", "https://a.example", "https://a.example/p.png");
    let err = key(&feed).unwrap_err();
    assert!(err.to_string().contains("FeedCard"), "{err}");
    let mention = Text::new("disk full").at_mobiles(["13800000000"]);
    assert!(matches!(
        key(&mention),
        Err(Error::NoAppTemplate {
            message_type: "Text",
            ..
        })
    ));
    // Each maps back to what it was.
    for msg in [
        Message::from(two),
        Text::new("x").into(),
        Markdown::new("a", "b").into(),
    ] {
        let app = AppMessage::from_message(&msg).unwrap();
        assert_eq!(
            AppMessage::decode(app.msg_key(), app.msg_param()),
            Some(msg)
        );
    }
}

#[derive(dingbot::DingMessage)]
#[ding(markdown, title = "Order {id} failed")]
struct OrderFailed {
    id: u64,
    customer: String,
}

#[tokio::test]
async fn the_derive_goes_through_the_app_robot() {
    let server = MockServer::builder()
        .app("key", "secret", "robot")
        .start()
        .await
        .unwrap();
    let robot = AppRobot::builder("key", "secret", "robot")
        .openapi_url(server.base_url())
        .build()
        .unwrap();
    let event = OrderFailed {
        id: 42,
        customer: "ACME *Corp*".into(),
    };
    robot.send_to_group("cid", &event).await.unwrap();
    let delivered = &server.app_messages()[0];
    assert_eq!(delivered.msg_key, "sampleMarkdown");
    assert_eq!(delivered.message, Some(event.to_message()));
}
