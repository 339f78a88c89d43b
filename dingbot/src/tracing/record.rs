//! The data the layer's parts share: the settings fixed at build ([`Settings`], with
//! [`Mentions`]) and one event as an owned [`Record`]. Data only: nothing here sends,
//! queues or renders.

use std::sync::Arc;
use std::time::Duration;

use ::tracing::Level;

use crate::digest::DigestConfig;

/// Who a message mentions (each mentioned mobile or user id is also written into the
/// body, so the mention notifies).
///
/// ```
/// use dingbot::tracing::Mentions;
///
/// let oncall = Mentions::new().mobiles(["13800000000"]).user_ids(["manager01"]);
/// assert_ne!(oncall, Mentions::all());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mentions {
    pub(super) mobiles: Vec<String>,
    pub(super) user_ids: Vec<String>,
    pub(super) all: bool,
}

impl Mentions {
    /// Nobody.
    pub fn new() -> Mentions {
        Mentions::default()
    }

    /// Everyone in the group (`@all`).
    pub fn all() -> Mentions {
        Mentions {
            all: true,
            ..Mentions::default()
        }
    }

    /// These mobile numbers, besides those already named.
    #[must_use]
    pub fn mobiles<I, S>(mut self, mobiles: I) -> Mentions
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.mobiles.extend(mobiles.into_iter().map(Into::into));
        self
    }

    /// These DingTalk user ids, besides those already named.
    #[must_use]
    pub fn user_ids<I, S>(mut self, ids: I) -> Mentions
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.user_ids.extend(ids.into_iter().map(Into::into));
        self
    }

    pub(super) fn is_empty(&self) -> bool {
        !self.all && self.mobiles.is_empty() && self.user_ids.is_empty()
    }
}

/// Which fields of an event become lines.
#[derive(Clone, Debug, Default)]
pub(super) enum FieldSelection {
    #[default]
    All,
    Only(Vec<String>),
    Except(Vec<String>),
}

impl FieldSelection {
    pub(super) fn keeps(&self, name: &str) -> bool {
        match self {
            FieldSelection::All => true,
            FieldSelection::Only(names) => names.iter().any(|n| n == name),
            FieldSelection::Except(names) => !names.iter().any(|n| n == name),
        }
    }
}

/// A callback told about delivery failures.
pub(super) type FailureHook = Arc<dyn Fn(&str) + Send + Sync>;

/// Everything the layer and its worker read, fixed at build.
pub(super) struct Settings {
    pub(super) level: Level,
    pub(super) include: Vec<String>,
    pub(super) exclude: Vec<String>,
    pub(super) fields: FieldSelection,
    pub(super) mentions: Mentions,
    /// Per level, overriding `mentions`: index by [`level_index`].
    pub(super) level_mentions: [Option<Mentions>; 5],
    pub(super) title: String,
    pub(super) service: Option<String>,
    pub(super) host: Option<String>,
    pub(super) digest: DigestConfig,
    pub(super) queue: usize,
    pub(super) shutdown_timeout: Duration,
    pub(super) on_failure: Option<FailureHook>,
}

impl Settings {
    pub(super) fn mentions_for(&self, level: Level) -> &Mentions {
        self.level_mentions[level_index(level)]
            .as_ref()
            .unwrap_or(&self.mentions)
    }
}

pub(super) fn level_index(level: Level) -> usize {
    match level {
        Level::ERROR => 0,
        Level::WARN => 1,
        Level::INFO => 2,
        Level::DEBUG => 3,
        Level::TRACE => 4,
    }
}

/// One event, owned, as the worker renders it.
#[derive(Clone)]
pub(super) struct Record {
    pub(super) level: Level,
    pub(super) target: &'static str,
    /// The callsite, for counting identical events.
    pub(super) callsite: ::tracing::callsite::Identifier,
    pub(super) message: String,
    pub(super) fields: Vec<(&'static str, String)>,
    /// Outermost first.
    pub(super) spans: Vec<SpanRecord>,
    pub(super) file: Option<&'static str>,
    pub(super) line: Option<u32>,
}

/// A span the event happened in, with its fields.
#[derive(Clone)]
pub(super) struct SpanRecord {
    pub(super) name: &'static str,
    pub(super) fields: Vec<(&'static str, String)>,
}
