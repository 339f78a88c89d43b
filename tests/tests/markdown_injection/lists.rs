//! `list` fields (6): list items, map keys and values, and the items of
//! `#[derive(DingItem)]` types, from their template or the default rendering, with
//! lists nested under them.

use std::collections::BTreeMap;

use dingbot::{DingItem, DingMessage};
use proptest::prelude::*;

use crate::hostile::{Blank, body, config, hostile, hostiles, same_structure};

/// A map of its own: `&Pairs` iterates `(&K, &V)`, in insertion order (keys may repeat).
struct Pairs(Vec<(String, String)>);

fn pair(entry: &(String, String)) -> (&String, &String) {
    (&entry.0, &entry.1)
}

impl<'a> IntoIterator for &'a Pairs {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(pair)
    }
}

#[derive(DingMessage)]
#[ding(title = "Report")]
struct Report {
    #[ding(list)]
    items: Vec<String>,
    #[ding(list)]
    labels: Pairs,
    after: String,
}

#[derive(DingItem)]
#[ding(item = "**{name}**: {state}{#note} ({note}){/note}{tags}")]
struct Check {
    name: String,
    state: String,
    note: Option<String>,
    #[ding(list)]
    tags: Vec<String>,
}

#[derive(DingItem)]
struct Service {
    name: String,
    owner: Option<String>,
    #[ding(list)]
    checks: Vec<Check>,
    #[ding(list)]
    labels: BTreeMap<u32, String>,
}

#[derive(DingMessage)]
#[ding(title = "Status", body = "Services:\n{services}\n\nEnd: {after}")]
struct Status {
    #[ding(list)]
    services: Vec<Service>,
    after: String,
}

fn check(values: &[String; 3], tags: &[String], blank: Option<Blank>) -> Check {
    let v = |s: &String| match blank {
        Some(blank) => blank.of(s),
        None => s.clone(),
    };
    Check {
        name: v(&values[0]),
        state: v(&values[1]),
        note: (!values[2].is_empty()).then(|| v(&values[2])),
        tags: tags.iter().map(v).collect(),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn list_items_and_map_entries(
        items in hostiles(4),
        labels in prop::collection::vec((hostile(), hostile()), 0..4),
        after in hostile(),
    ) {
        let event = Report {
            items: items.clone(),
            labels: Pairs(labels.clone()),
            after: after.clone(),
        };
        same_structure("list items and map entries", &body(&event)?, |blank| {
            body(&Report {
                items: items.iter().map(|i| blank.of(i)).collect(),
                labels: Pairs(
                    labels
                        .iter()
                        .map(|(k, v)| (blank.of(k), blank.of(v)))
                        .collect(),
                ),
                after: blank.of(&after),
            })
        })?;
    }

    #[test]
    fn items_from_templates_and_defaults_with_nested_lists(
        checks in prop::collection::vec(
            (prop::array::uniform3(hostile()), hostiles(3)),
            0..3,
        ),
        name in hostile(),
        owner in prop::option::of(hostile()),
        label in hostile(),
        after in hostile(),
    ) {
        let build = |blank: Option<Blank>| {
            let v = |s: &String| match blank {
                Some(blank) => blank.of(s),
                None => s.clone(),
            };
            Status {
                services: vec![Service {
                    name: v(&name),
                    owner: owner.as_ref().map(v),
                    checks: checks.iter().map(|(values, tags)| check(values, tags, blank)).collect(),
                    labels: BTreeMap::from([(7, v(&label))]),
                }],
                after: v(&after),
            }
        };
        same_structure("items with nested lists", &body(&build(None))?, |blank| {
            body(&build(Some(blank)))
        })?;
    }
}
