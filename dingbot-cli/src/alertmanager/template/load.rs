//! Reading the templates as prometheus-webhook-dingtalk's `FromGlobs` does: its built-in
//! `default.tmpl` first (unless `no_builtin_template`), then every file the `templates`
//! patterns match, in order, a later `{{ define }}` replacing an earlier one of the same
//! name (so a file may redefine `__text_alert_list`), an empty one never replacing; a
//! pattern matching nothing is no error (files may come later). Then each message
//! (`title`, `text`) as a template of its own.
//!
//! Everything is checked here, so that a broken template stops the start and a reload
//! keeps the config that works: the syntax (with the file and line), every function
//! (as Go's parser does) and every `{{ template "name" }}` (which Go would only find
//! missing while rendering).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gotmpl::parse::{ListNode, Node, Parser};

use super::rewrite::rewrite;

/// prometheus-webhook-dingtalk's built-in templates, `template/default.tmpl` of
/// timonwong/prometheus-webhook-dingtalk as it ships them.
///
/// Copyright 2015 Prometheus Team, Licensed under the Apache License, Version 2.0 (the
/// "License"); you may not use this file except in compliance with the License. You may
/// obtain a copy of the License at http://www.apache.org/licenses/LICENSE-2.0. Unless
/// required by applicable law or agreed to in writing, software distributed under the
/// License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY
/// KIND, either express or implied.
pub const DEFAULT_TMPL: &str = include_str!("default.tmpl");

/// The title prometheus-webhook-dingtalk renders unless a message says otherwise.
pub const DEFAULT_TITLE: &str = r#"{{ template "ding.link.title" . }}"#;
/// The text prometheus-webhook-dingtalk renders unless a message says otherwise.
pub const DEFAULT_TEXT: &str = r#"{{ template "ding.link.content" . }}"#;

/// Go's built-in functions, which gotmpl provides.
const GO_BUILTINS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

/// Named templates read so far, each with where it came from.
#[derive(Default)]
pub struct Trees {
    /// By name.
    pub trees: BTreeMap<String, ListNode>,
    /// `{{ template "name" }}` calls: the name, and the source and line that call it.
    calls: Vec<(String, String, usize)>,
}

impl Trees {
    /// Parses `source` (called `name` in errors): its `{{ define }}`s are added, and its
    /// top level is added as `name` when it is not empty or `keep_top` (Go's
    /// `ParseFiles` registers a file under its base name; a message is its top level).
    pub fn add(
        &mut self,
        name: &str,
        source: &str,
        keep_top: bool,
        known: &dyn Fn(&str) -> bool,
    ) -> Result<(), String> {
        let (mut top, defines) = Parser::with_name(Some(name), source, "{{", "}}")
            .and_then(Parser::parse)
            .map_err(|e| e.to_string())?;
        let fail = |(line, message): (usize, String)| format!("template: {name}:{line}: {message}");
        if let Some((line, keyword)) = super::unclosed::first_unclosed(source) {
            return Err(fail((
                line,
                format!("unexpected EOF: {{{{ {keyword} }}}} has no {{{{ end }}}}"),
            )));
        }
        rewrite(&mut top, known).map_err(fail)?;
        collect_calls(&top, name, &mut self.calls);
        if keep_top || !top.is_empty_tree() {
            self.trees.insert(name.to_owned(), top);
        }
        for mut define in defines {
            rewrite(&mut define.body, known).map_err(fail)?;
            collect_calls(&define.body, name, &mut self.calls);
            if define.body.is_empty_tree() && self.trees.contains_key(define.name.as_str()) {
                continue;
            }
            self.trees.insert(define.name.to_string(), define.body);
        }
        Ok(())
    }

    /// Every `{{ template "name" }}` names a template that exists.
    pub fn check_calls(&self) -> Result<(), String> {
        match self
            .calls
            .iter()
            .find(|(called, ..)| !self.trees.contains_key(called))
        {
            Some((called, source, line)) => Err(format!(
                "template: {source}:{line}: no such template {called:?}"
            )),
            None => Ok(()),
        }
    }
}

/// Whether `name` is a function templates may call.
pub fn is_function(name: &str, extra: &gotmpl::FuncMap) -> bool {
    GO_BUILTINS.contains(&name) || extra.contains_key(name)
}

/// The files `pattern` matches, sorted as Go's `filepath.Glob` returns them; a relative
/// pattern is tried next to the config file first, then in the working directory (where
/// prometheus-webhook-dingtalk looks).
pub fn files(pattern: &str, base: Option<&Path>) -> Result<Vec<PathBuf>, String> {
    let matches = |pattern: &str| -> Result<Vec<PathBuf>, String> {
        let paths = glob::glob(pattern).map_err(|e| format!("templates: {pattern:?}: {e}"))?;
        let mut found: Vec<PathBuf> = paths
            .filter_map(Result::ok)
            .filter(|p| p.is_file())
            .collect();
        found.sort();
        Ok(found)
    };
    if let Some(base) = base.filter(|_| Path::new(pattern).is_relative()) {
        let beside = base.join(pattern);
        let found = matches(&beside.to_string_lossy())?;
        if !found.is_empty() {
            return Ok(found);
        }
    }
    matches(pattern)
}

fn collect_calls(list: &ListNode, source: &str, calls: &mut Vec<(String, String, usize)>) {
    for node in &list.nodes {
        match node {
            Node::Template(t) => calls.push((t.name.to_string(), source.to_owned(), t.pos.line)),
            Node::List(l) => collect_calls(l, source, calls),
            Node::If(b) | Node::Range(b) | Node::With(b) => {
                collect_calls(&b.body, source, calls);
                if let Some(e) = &b.else_body {
                    collect_calls(e, source, calls);
                }
            }
            Node::Define(d) => collect_calls(&d.body, source, calls),
            _ => {}
        }
    }
}
