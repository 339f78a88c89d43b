//! Values as the derive shows them: through `with` formatters, and `list` fields of
//! values and maps, generic ones too.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use dingbot::{DingItem, DingMessage};

use crate::body;

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
pub(crate) struct Nightly {
    #[ding(list, label = "Failed tests")]
    pub(crate) failed: Vec<String>,
    #[ding(list)]
    pub(crate) labels: BTreeMap<String, String>,
    #[ding(list, with = cents)]
    pub(crate) costs: BTreeMap<&'static str, u64>,
    #[ding(list, raw)]
    pub(crate) links: Vec<&'static str>,
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

#[test]
fn optional_values_in_titles_keep_their_format_spec() {
    #[derive(DingMessage)]
    #[ding(text, title = "[{n:>4}] {tag:?}")]
    struct Padded {
        n: Option<u8>,
        tag: Option<&'static str>,
    }
    let title = |n, tag| Padded { n, tag }.to_message().body().map(str::to_owned);
    assert_eq!(title(Some(7), Some("x")), Some("[   7] \"x\"".to_owned()));
    // `None` shows nothing, not even the padding.
    assert_eq!(title(None, None), Some("[] ".to_owned()));
}
