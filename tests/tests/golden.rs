//! Each JSON example from DingTalk's documentation of the custom robot is produced by the
//! builders (as a JSON value) and parses back to an equal `Message`.

use dingbot::{ActionCard, FeedCard, Link, Markdown, Message, Orientation, Text};
use serde_json::{Value, json};

fn check(doc: Value, built: impl Into<Message>) {
    let built = built.into();
    assert_eq!(serde_json::to_value(&built).unwrap(), doc, "serialized");
    let parsed: Message = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(parsed, built, "deserialized");
    built.validate().unwrap();
}

#[test]
fn text_with_at() {
    let doc = json!({
        "at": {"atMobiles": ["180xxxxxx"], "atUserIds": ["user123"], "isAtAll": false},
        "text": {"content": "我就是我, @180xxxxxx 是不一样的烟火"},
        "msgtype": "text"
    });
    check(
        doc,
        Text::new("我就是我, @180xxxxxx 是不一样的烟火")
            .at_mobiles(["180xxxxxx"])
            .at_user_ids(["user123"]),
    );
}

#[test]
fn link() {
    // DingTalk's example sends an empty "picUrl"; dingbot leaves an absent picture out,
    // and reads an empty one as absent.
    let url = "https://www.dingtalk.com/s?__biz=MzA4NjMwMTA2Ng==&mid=2650316842&idx=1&sn=60da3ea2b29f1dcc43a7c8e4a7c97a16&scene=2&srcid=09189AnRJEdIiWVaKltFzNTw&from=timeline&isappinstalled=0&key=&ascene=2&uin=&devicetype=android-23&version=26031933&nettype=WIFI";
    let text = "这个即将发布的新版本，创始人xx称它为红树林。而在此之前，每当面临重大升级，产品经理们都会取一个应景的代号，这一次，为什么是红树林";
    let doc = json!({
        "msgtype": "link",
        "link": {"text": text, "title": "时代的火车向前开", "picUrl": "", "messageUrl": url}
    });
    let built = Link::new("时代的火车向前开", text, url);
    let parsed: Message = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(parsed, Message::from(built.clone()));
    let mut expected = doc;
    expected["link"].as_object_mut().unwrap().remove("picUrl");
    assert_eq!(serde_json::to_value(&built).unwrap(), expected);

    let with_pic = json!({
        "msgtype": "link",
        "link": {"text": text, "title": "时代的火车向前开", "picUrl": "https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png", "messageUrl": url}
    });
    check(
        with_pic,
        Link::new("时代的火车向前开", text, url)
            .pic_url("https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png"),
    );
}

#[test]
fn markdown_with_at() {
    let text = "#### 杭州天气 @150XXXXXXXX \n > 9度，西北风1级，空气良89，相对温度73%\n > ![screenshot](https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png)\n > ###### 10点20分发布 [天气](https://www.dingtalk.com) \n";
    let doc = json!({
        "msgtype": "markdown",
        "markdown": {"title": "杭州天气", "text": text},
        "at": {"atMobiles": ["150XXXXXXXX"], "atUserIds": ["user123"], "isAtAll": false}
    });
    check(
        doc,
        Markdown::new("杭州天气", text)
            .at_mobiles(["150XXXXXXXX"])
            .at_user_ids(["user123"]),
    );
}

#[test]
fn action_card_single_button() {
    let text = "![screenshot](https://gw.alicdn.com/tfs/TB1ut3xxbsrBKNjSZFpXXcXhFXa-846-786.png) \n ### 乔布斯 20 年前想打造的苹果咖啡厅 \n Apple Store 的设计正从原来满满的科技感走向生活化，而其生活化的走向其实可以追溯到 20 年前苹果一个建立咖啡馆的计划";
    let doc = json!({
        "actionCard": {
            "title": "乔布斯 20 年前想打造一间苹果咖啡厅，而它正是 Apple Store 的前身",
            "text": text,
            "btnOrientation": "0",
            "singleTitle": "阅读全文",
            "singleURL": "https://www.dingtalk.com/"
        },
        "msgtype": "actionCard"
    });
    check(
        doc,
        ActionCard::new(
            "乔布斯 20 年前想打造一间苹果咖啡厅，而它正是 Apple Store 的前身",
            text,
        )
        .orientation(Orientation::Vertical)
        .single_button("阅读全文", "https://www.dingtalk.com/"),
    );
}

#[test]
fn action_card_buttons() {
    let text = "![screenshot](https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png) \n\n #### 乔布斯 20 年前想打造的苹果咖啡厅 \n\n Apple Store 的设计正从原来满满的科技感走向生活化，而其生活化的走向其实可以追溯到 20 年前苹果一个建立咖啡馆的计划";
    let doc = json!({
        "msgtype": "actionCard",
        "actionCard": {
            "title": "我 20 年前想打造一间苹果咖啡厅，而它正是 Apple Store 的前身",
            "text": text,
            "hideAvatar": "0",
            "btnOrientation": "0",
            "btns": [
                {"title": "内容不错", "actionURL": "https://www.dingtalk.com/"},
                {"title": "不感兴趣", "actionURL": "https://www.dingtalk.com/"}
            ]
        }
    });
    check(
        doc,
        ActionCard::new(
            "我 20 年前想打造一间苹果咖啡厅，而它正是 Apple Store 的前身",
            text,
        )
        .hide_avatar(false)
        .orientation(Orientation::Vertical)
        .button("内容不错", "https://www.dingtalk.com/")
        .button("不感兴趣", "https://www.dingtalk.com/"),
    );
}

#[test]
fn feed_card() {
    let pic = "https://img.alicdn.com/tfs/TB1NwmBEL9TBuNjy1zbXXXpepXa-2400-1218.png";
    let doc = json!({
        "msgtype": "feedCard",
        "feedCard": {"links": [
            {"title": "时代的火车向前开1", "messageURL": "https://www.dingtalk.com/", "picURL": pic},
            {"title": "时代的火车向前开2", "messageURL": "https://www.dingtalk.com/", "picURL": pic}
        ]}
    });
    check(
        doc,
        FeedCard::new()
            .link("时代的火车向前开1", "https://www.dingtalk.com/", pic)
            .link("时代的火车向前开2", "https://www.dingtalk.com/", pic),
    );
}

#[test]
fn horizontal_and_hidden_avatar_are_strings() {
    let card = ActionCard::new("t", "b")
        .button("a", "https://a.example")
        .orientation(Orientation::Horizontal)
        .hide_avatar(true);
    let v = serde_json::to_value(&card).unwrap();
    assert_eq!(v["actionCard"]["btnOrientation"], "1");
    assert_eq!(v["actionCard"]["hideAvatar"], "1");
    // Other SDKs send numbers; they are read too.
    let lenient: ActionCard = serde_json::from_value(json!({
        "msgtype": "actionCard",
        "actionCard": {"title": "t", "text": "b", "btnOrientation": 1, "btns": [{"title": "a", "actionURL": "https://a.example"}]}
    }))
    .unwrap();
    assert_eq!(lenient.get_orientation(), Some(Orientation::Horizontal));
}

#[test]
fn empty_optional_parts_are_left_out() {
    assert_eq!(
        serde_json::to_value(Text::new("hi")).unwrap(),
        json!({"msgtype": "text", "text": {"content": "hi"}})
    );
    assert_eq!(
        serde_json::to_value(Markdown::new("t", "x").at_all()).unwrap(),
        json!({"msgtype": "markdown", "markdown": {"title": "t", "text": "x"}, "at": {"isAtAll": true}})
    );
    assert_eq!(
        serde_json::to_value(ActionCard::new("t", "x").single_button("go", "https://a.example"))
            .unwrap(),
        json!({"msgtype": "actionCard", "actionCard": {"title": "t", "text": "x", "singleTitle": "go", "singleURL": "https://a.example"}})
    );
}

#[test]
fn each_type_deserializes_only_its_own_msgtype() {
    let text = json!({"msgtype": "text", "text": {"content": "hi"}});
    assert!(serde_json::from_value::<Text>(text.clone()).is_ok());
    let err = serde_json::from_value::<Markdown>(text)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("expected msgtype \"markdown\", found \"text\""),
        "{err}"
    );
}

#[test]
fn unknown_msgtype_and_missing_fields_are_clear_errors() {
    let err = serde_json::from_value::<Message>(json!({"msgtype": "video", "video": {}}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown msgtype `video`"), "{err}");
    let err = serde_json::from_value::<Message>(
        json!({"msgtype": "markdown", "markdown": {"title": "x"}}),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("missing field `text`"), "{err}");
    let err = serde_json::from_value::<Message>(json!({"msgtype": "link"}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing field `link`"), "{err}");
}

#[test]
fn msg_uuid_and_unknown_fields_are_ignored_when_reading() {
    let msg: Message = serde_json::from_value(
        json!({"msgtype": "text", "text": {"content": "hi"}, "msgUuid": "abc", "extra": 1}),
    )
    .unwrap();
    assert_eq!(msg, Message::from(Text::new("hi")));
}
