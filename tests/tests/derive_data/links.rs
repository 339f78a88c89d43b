//! No value, however written, makes a body link or a button open anything but an
//! http(s) URL, with or without `open`.

use dingbot::{DingMessage, Message};

use crate::body;

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
    // Seeds of past failures kept beside this file, as for a test of its own.
    #![proptest_config(proptest::prelude::ProptestConfig {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..proptest::prelude::ProptestConfig::with_cases(2000)
    })]

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
