"""Writes two crates into DIR: `derived` (N structs with #[derive(DingMessage)]) and
`manual` (the same structs with hand-written impls producing the same messages)."""

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
#[derive(dingbot::DingMessage)]
#[ding(markdown, title = "Event {i} on {{host}}")]
pub struct Event{i} {{
    pub host: String,
    #[ding(label = "Customer")]
    pub customer: String,
    pub amount: u64,
    pub reason: Option<String>,
    #[ding(at_mobiles)]
    pub oncall: Vec<String>,
}}
"""

MANUAL = """
pub struct Event{i} {{
    pub host: String,
    pub customer: String,
    pub amount: u64,
    pub reason: Option<String>,
    pub oncall: Vec<String>,
}}

impl dingbot::DingMessage for Event{i} {{
    fn to_message(&self) -> dingbot::Message {{
        let title = format!("Event {i} on {{}}", self.host);
        let mut body = dingbot::markdown::Writer::new()
            .heading(4, title.as_str())
            .field("Customer", self.customer.as_str())
            .field("Amount", self.amount.to_string());
        if let Some(reason) = &self.reason {{
            body = body.field("Reason", reason.as_str());
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

for name, item in (("derived", DERIVED), ("manual", MANUAL)):
    src = os.path.join(work, name, "src")
    os.makedirs(src)
    with open(os.path.join(work, name, "Cargo.toml"), "w") as f:
        f.write(CARGO.format(name=name, dingbot=dingbot))
    with open(os.path.join(src, "lib.rs"), "w") as f:
        f.write("#![allow(dead_code)]\n")
        for i in range(n):
            f.write(item.format(i=i))
