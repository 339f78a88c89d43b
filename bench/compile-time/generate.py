"""Writes two crates into DIR: `derived` (N event structs with #[derive(DingMessage)],
using `label`, `with`, `list` of a map and of items, `at_mobiles`, and N item structs
with #[derive(DingItem)] and a template with a section) and `manual` (the same structs
with hand-written impls producing the same messages)."""

import os
import sys

work, dingbot, n = sys.argv[1], sys.argv[2], int(sys.argv[3])

CARGO = """[package]
name = "{name}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
dingbot = {{ path = "{dingbot}" }}

[workspace]
"""

DERIVED = """
#[derive(dingbot::DingItem)]
#[ding(item = "**{{name}}**{{#note}}: {{note}}{{/note}}")]
pub struct Line{i} {{
    pub name: String,
    pub note: Option<String>,
}}

#[derive(dingbot::DingMessage)]
#[ding(markdown, title = "Event {i} on {{host}}")]
pub struct Event{i} {{
    pub host: String,
    #[ding(label = "Customer")]
    pub customer: String,
    #[ding(with = crate::cents)]
    pub amount: u64,
    pub reason: Option<String>,
    #[ding(list)]
    pub labels: std::collections::BTreeMap<String, String>,
    #[ding(list)]
    pub lines: Vec<Line{i}>,
    #[ding(at_mobiles)]
    pub oncall: Vec<String>,
}}
"""

MANUAL = """
pub struct Line{i} {{
    pub name: String,
    pub note: Option<String>,
}}

impl dingbot::DingItem for Line{i} {{
    fn write_item(&self, item: &mut dingbot::markdown::ItemWriter<'_>) {{
        item.raw("**");
        item.text(&self.name);
        item.raw("**");
        if let Some(note) = &self.note {{
            item.raw(": ");
            item.text(note);
        }}
    }}
}}

pub struct Event{i} {{
    pub host: String,
    pub customer: String,
    pub amount: u64,
    pub reason: Option<String>,
    pub labels: std::collections::BTreeMap<String, String>,
    pub lines: Vec<Line{i}>,
    pub oncall: Vec<String>,
}}

impl dingbot::DingMessage for Event{i} {{
    fn to_message(&self) -> dingbot::Message {{
        let title = format!("Event {i} on {{}}", self.host);
        let mut body = dingbot::markdown::Writer::new()
            .heading(4, title.as_str())
            .field("Customer", self.customer.as_str())
            .field("Amount", crate::Cents(self.amount).to_string());
        if let Some(reason) = &self.reason {{
            body = body.field("Reason", reason.as_str());
        }}
        if !self.labels.is_empty() {{
            body = body.raw("**Labels**:").entries(&self.labels);
        }}
        if !self.lines.is_empty() {{
            body = body.raw("**Lines**:").items(&self.lines);
        }}
        let mut text = body.finish();
        if !self.oncall.is_empty() {{
            let mentions: Vec<String> = self.oncall.iter().map(|m| format!("@{{m}}")).collect();
            text.push_str("\\n\\n");
            text.push_str(&mentions.join(" "));
        }}
        dingbot::Markdown::new(title, text).at_mobiles(self.oncall.iter().cloned()).into()
    }}
}}
"""

PRELUDE = {
    "derived": """
pub fn cents(v: &u64, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    write!(f, "{}.{:02}", v / 100, v % 100)
}
""",
    "manual": """
pub struct Cents(pub u64);

impl std::fmt::Display for Cents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}
""",
}

for name, item in (("derived", DERIVED), ("manual", MANUAL)):
    src = os.path.join(work, name, "src")
    os.makedirs(src)
    with open(os.path.join(work, name, "Cargo.toml"), "w") as f:
        f.write(CARGO.format(name=name, dingbot=dingbot))
    with open(os.path.join(src, "lib.rs"), "w") as f:
        f.write("#![allow(dead_code)]\n")
        f.write(PRELUDE[name])
        for i in range(n):
            f.write(item.format(i=i))
