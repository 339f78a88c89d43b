//! The bridge's config file: prometheus-webhook-dingtalk's `config.yml` read as it is,
//! plus dingbot's own keys.
//!
//! Everything is checked while the YAML is read, so every mistake is reported by
//! serde_yaml_ng with the key it sits under and its line
//! (`targets.ops.url: ... at line 7 column 10`): a wrong type, an unknown key (as
//! prometheus-webhook-dingtalk, which reads strictly), a target name it would refuse, a
//! webhook URL or secret DingTalk would refuse, an environment variable that is not set,
//! a time zone that does not exist. Secrets are never part of an error: what is wrong
//! with them is described, not quoted.
//!
//! Go templates (`templates`, `template`, `default_message`, `targets.<name>.message`,
//! `no_builtin_template`) are read and checked with the config ([`crate::alertmanager::template`]):
//! a template that does not parse, calls an unknown function or names a template that
//! does not exist makes the config unusable, with the file and line; relative
//! `templates` patterns are looked up next to the config file first.
//!
//! | file | owns |
//! |---|---|
//! | `settings.rs` | the config as the bridge uses it, and the defaults |
//! | `file.rs` | the file's keys, and the rules between the keys of one mapping |
//! | `robots.rs` | a target's robots (`url`/`secret` or `robots`), a value from one key only |
//! | `values.rs` | each value, checked as it is read: durations, names, webhooks, secrets, ... |
//! | `checked.rs` | how a value checks itself so that serde_yaml_ng's error has its key and line |
//! | `budget.rs` | how large a file may be, and how far its aliases may expand |
//! | `unique.rs` | a key named twice in one mapping, refused at its line |

mod budget;
mod chatops;
mod checked;
mod file;
mod robots;
mod settings;
mod unique;
mod values;

#[cfg(test)]
mod tests;

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::template::GoTemplates;
use budget::MAX_FILE_BYTES;
pub use chatops::ChatOpsSettings;
pub use settings::{Config, MentionFrom, RobotKeys, Target};
pub use values::{Secret, is_mention_id};

/// Why a config file cannot be used.
#[derive(Debug)]
pub struct ConfigError {
    path: PathBuf,
    message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// An error about the config at `path`.
    pub fn new(path: &Path, message: String) -> ConfigError {
        ConfigError {
            path: path.to_owned(),
            message,
        }
    }
}

impl Config {
    /// Reads and checks the config file at `path`, at most [`MAX_FILE_BYTES`] of it.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let cannot =
            |e: std::io::Error| ConfigError::new(path, format!("cannot read the config file: {e}"));
        let mut text = String::new();
        std::fs::File::open(path)
            .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_string(&mut text))
            .map_err(cannot)?;
        let mut config = Config::parse_in(&text, path.parent())
            .map_err(|message| ConfigError::new(path, message))?;
        // A relative hold_dir is the config file's neighbour, wherever the bridge runs.
        if let (Some(dir), Some(base)) = (&config.hold_dir, path.parent())
            && dir.is_relative()
        {
            config.hold_dir = Some(base.join(dir));
        }
        Ok(config)
    }

    /// Reads and checks a config from its text. The error names the key and the line.
    ///
    /// Refused, besides a wrong value: a file over [`MAX_FILE_BYTES`], an empty one, one
    /// without targets (a file cut short while it was written often is), a key named
    /// twice in one mapping, and values adding up to more than [`budget::MAX_EXPANDED_BYTES`] once YAML's
    /// aliases are expanded.
    pub fn parse(text: &str) -> Result<Config, String> {
        Config::parse_in(text, None)
    }

    /// [`Config::parse`], with relative `templates` patterns looked up in `base` first
    /// (then in the working directory).
    pub fn parse_in(text: &str, base: Option<&Path>) -> Result<Config, String> {
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(format!(
                "the file is over {} KiB; a config is far smaller",
                MAX_FILE_BYTES / 1024
            ));
        }
        if text.trim().is_empty() {
            return Err(
                "the file is empty: a config needs `targets`, at least one (was it cut short \
                 while it was written?)"
                    .to_owned(),
            );
        }
        let file = budget::with_budget(|| {
            let yaml = serde_yaml_ng::Deserializer::from_str(text);
            <file::File as serde::Deserialize>::deserialize(unique::UniqueKeys(yaml))
        })
        .map_err(|e| e.to_string())?;
        let mut config = file.into_config()?;
        if config.template_sources.any() {
            config.templates = Some(GoTemplates::load(&config.template_sources, base)?);
        }
        Ok(config)
    }
}
