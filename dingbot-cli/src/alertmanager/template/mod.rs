//! prometheus-webhook-dingtalk's Go templates, rendered as it renders them.
//!
//! A config naming templates (`templates`, `template`, `default_message`,
//! `targets.<name>.message`, `no_builtin_template`) gets them: each target's message is
//! its `message.title` / `message.text`, else `default_message`, else
//! `{{ template "ding.link.title" . }}` / `{{ template "ding.link.content" . }}`, over
//! its built-in templates ([`load::DEFAULT_TMPL`]) and the files the patterns match. A
//! config naming none keeps dingbot's own rendering.
//!
//! The engine is gotmpl, a port of Go's `text/template`; this module adapts it where it
//! differs from Go on prometheus-webhook-dingtalk's data:
//! - Go calls methods of the data's types (`.Alerts.Firing`, `.Labels.SortedPairs`,
//!   `.CommonLabels.Remove .GroupLabels.Names`, `.StartsAt.Add 28800e9`,
//!   `.StartsAt.Format "..."`); gotmpl has no methods, so field chains are rewritten into
//!   calls that do what Go does ([`rewrite`], [`access`]);
//! - a missing label reads as `""` (Go's `missingkey=zero` on a `map[string]string`),
//!   not gotmpl's `<no value>` ([`access`]);
//! - times print and format as Go's `time.Time` ([`gotime`]);
//! - Go's parser refuses an undefined function; gotmpl would fail only while rendering,
//!   so functions (and `{{ template }}` names) are checked when the config is read
//!   ([`load`]);
//! - Go refuses a block left open at the end of a file; gotmpl accepts it, so the
//!   adapter looks for one ([`unclosed`]);
//! - Go's `index` of a missing label is `""` too ([`access::index`]);
//! - the functions: prometheus-webhook-dingtalk's own and sprig's ([`funcs`]).
//!
//! | file | owns |
//! |---|---|
//! | `load.rs` | reading the built-in templates, the files, the messages; checking them |
//! | `rewrite.rs` | field chains into calls of Go's methods |
//! | `access.rs` | Go's field and method access on the data: `KV`, alerts, times |
//! | `gotime.rs` | Go's `time.Time`: printing, formatting, `.Add` |
//! | `layout.rs` | Go's reference layouts read into elements |
//! | `funcs/` | `toUpper`, `toLower`, `markdown` and sprig's functions |
//! | `unclosed.rs` | a block left open at the end of a template, which Go refuses |
//! | `data.rs` | the template data built from a notification |
//! | `messages.rs` | the DingTalk messages: mentions, splitting to fit |
//! | `default.tmpl` | prometheus-webhook-dingtalk's built-in templates, as it ships them |

mod access;
mod data;
mod funcs;
mod gotime;
mod layout;
mod load;
mod messages;
mod rewrite;
mod unclosed;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gotmpl::{MissingKey, Template};

use crate::alertmanager::payload::{Alert, Notification};

pub use messages::render;

/// A message's Go templates, as the config writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoMessage {
    /// `title`.
    pub title: String,
    /// `text`.
    pub text: String,
}

impl Default for GoMessage {
    /// prometheus-webhook-dingtalk's default message (and the value of a key a
    /// `message` leaves out).
    fn default() -> Self {
        GoMessage {
            title: load::DEFAULT_TITLE.to_owned(),
            text: load::DEFAULT_TEXT.to_owned(),
        }
    }
}

/// The template keys of a config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    /// `no_builtin_template`.
    pub no_builtin: bool,
    /// `templates` (and the older `template`): file paths and globs.
    pub patterns: Vec<String>,
    /// `default_message`.
    pub default_message: Option<GoMessage>,
    /// `targets.<name>.message`, by target.
    pub targets: BTreeMap<String, GoMessage>,
}

impl Sources {
    /// Whether the config names any template: then every target renders with them.
    pub fn any(&self) -> bool {
        self.no_builtin
            || !self.patterns.is_empty()
            || self.default_message.is_some()
            || !self.targets.is_empty()
    }
}

/// The templates of a config, read and checked.
#[derive(Clone)]
pub struct GoTemplates {
    template: Arc<Template>,
    /// The targets with a message of their own.
    own: Vec<String>,
    /// The files read, for the log.
    files: Vec<PathBuf>,
}

impl fmt::Debug for GoTemplates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GoTemplates")
            .field("files", &self.files)
            .field("own", &self.own)
            .finish_non_exhaustive()
    }
}

impl GoTemplates {
    /// Reads the templates `sources` names; relative patterns are looked up next to
    /// `base` (the config file's directory) first. The error names the file (or key),
    /// the line and what is wrong.
    pub fn load(sources: &Sources, base: Option<&Path>) -> Result<GoTemplates, String> {
        let mut extra = funcs::all();
        extra.insert(access::FIELD.to_owned(), Arc::new(access::field));
        extra.insert("index".to_owned(), Arc::new(access::index));
        let known = |name: &str| load::is_function(name, &extra);
        let mut trees = load::Trees::default();
        if !sources.no_builtin {
            trees.add("default.tmpl", load::DEFAULT_TMPL, false, &known)?;
        }
        let mut files = Vec::new();
        for pattern in &sources.patterns {
            for path in load::files(pattern, base)? {
                let source = std::fs::read_to_string(&path)
                    .map_err(|e| format!("templates: cannot read {}: {e}", path.display()))?;
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                trees
                    .add(&name, &source, false, &known)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                files.push(path);
            }
        }
        let default = sources.default_message.clone().unwrap_or_default();
        let messages = std::iter::once(("default_message".to_owned(), &default)).chain(
            sources
                .targets
                .iter()
                .map(|(name, m)| (format!("targets.{name}.message"), m)),
        );
        for (key, message) in messages {
            for (part, source) in [("title", &message.title), ("text", &message.text)] {
                trees.add(&format!("{key}.{part}"), source, true, &known)?;
            }
        }
        trees.check_calls()?;
        let mut template = Template::new("")
            .funcs(extra)
            .missing_key(MissingKey::ZeroValue);
        for (name, tree) in trees.trees {
            template = template.add_parse_tree(&name, tree);
        }
        Ok(GoTemplates {
            template: Arc::new(template),
            own: sources.targets.keys().cloned().collect(),
            files,
        })
    }

    /// The files read.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// `target`'s title and text for `alerts` of `notification`; `.AtMobiles` is
    /// `at_mobiles`.
    pub fn title_and_text(
        &self,
        target: &str,
        notification: &Notification,
        alerts: &[Alert],
        at_mobiles: &[String],
    ) -> Result<(String, String), String> {
        let key = if self.own.iter().any(|t| t == target) {
            format!("targets.{target}.message")
        } else {
            "default_message".to_owned()
        };
        let data = data::data(notification, alerts, at_mobiles);
        let run = |part: &str| {
            let name = format!("{key}.{part}");
            self.template
                .execute_template_to_string(&name, &data)
                .map_err(|e| format!("template {name}: {e}"))
        };
        Ok((run("title")?, run("text")?))
    }
}
