//! [`LayerBuilder`]: what the layer takes, how it renders it, how it delivers it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ::tracing::Level;

use super::guard::Guard;
use super::layer::{AlertFilter, AlertLayer, Alerts};
use super::record::{FieldSelection, Mentions, Settings, level_index};
use super::worker;
use crate::client::Robot;
use crate::digest::DigestConfig;

/// The default title: the level, the target and the event's message.
pub const DEFAULT_TITLE: &str = "{level} {target}: {message}";

/// Builds a layer: its level and target filters, the fields it writes, who it mentions,
/// its title, and the digest it delivers through.
///
/// ```
/// use std::time::Duration;
/// use tracing::Level;
/// use tracing_subscriber::prelude::*;
/// use dingbot::tracing::Mentions;
///
/// # fn main() -> Result<(), dingbot::Error> {
/// let robot = dingbot::Robot::new("https://oapi.dingtalk.com/robot/send?access_token=abc")?;
/// let (layer, guard) = dingbot::tracing::builder(robot)
///     .level(Level::WARN)
///     .include_targets(["orders_api"])
///     .exclude_targets(["orders_api::noisy"])
///     .exclude_fields(["password"])
///     .mentions(Mentions::new().mobiles(["13800000000"]))
///     .level_mentions(Level::WARN, Mentions::new())
///     .title("{level} {service}: {message}")
///     .service("orders-api")
///     .host("web-7")
///     .shutdown_timeout(Duration::from_secs(5))
///     .build();
/// let _subscriber = tracing_subscriber::registry().with(layer);
/// # drop(guard);
/// # Ok(()) }
/// ```
pub struct LayerBuilder {
    robot: Robot,
    settings: Settings,
}

impl fmt::Debug for LayerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LayerBuilder")
            .field("robot", &self.robot)
            .field("level", &self.settings.level)
            .field("include", &self.settings.include)
            .field("exclude", &self.settings.exclude)
            .field("title", &self.settings.title)
            .finish_non_exhaustive()
    }
}

impl LayerBuilder {
    pub(super) fn new(robot: Robot) -> LayerBuilder {
        LayerBuilder {
            robot,
            settings: Settings {
                level: Level::ERROR,
                include: Vec::new(),
                exclude: Vec::new(),
                fields: FieldSelection::All,
                mentions: Mentions::new(),
                level_mentions: Default::default(),
                title: DEFAULT_TITLE.to_owned(),
                service: None,
                host: None,
                digest: DigestConfig::default(),
                queue: 1024,
                shutdown_timeout: Duration::from_secs(30),
                on_failure: None,
            },
        }
    }

    /// The least severe level sent (default [`Level::ERROR`]): `Level::WARN` sends
    /// warnings and errors.
    #[must_use]
    pub fn level(mut self, level: Level) -> Self {
        self.settings.level = level;
        self
    }

    /// Sends only events whose target is one of these or inside one of them
    /// (`"orders_api"` takes `orders_api::db` too). By default every target is taken.
    /// The target is the module path unless the event names one.
    #[must_use]
    pub fn include_targets<I, S>(mut self, targets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings
            .include
            .extend(targets.into_iter().map(Into::into));
        self
    }

    /// Never sends events whose target is one of these or inside one of them. dingbot
    /// and the HTTP stack it sends through are always excluded.
    #[must_use]
    pub fn exclude_targets<I, S>(mut self, targets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings
            .exclude
            .extend(targets.into_iter().map(Into::into));
        self
    }

    /// Writes only these fields as lines (the message is always the heading).
    #[must_use]
    pub fn only_fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.fields = FieldSelection::Only(fields.into_iter().map(Into::into).collect());
        self
    }

    /// Writes every field but these (by default every field is written). Applies to
    /// span fields too.
    #[must_use]
    pub fn exclude_fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.fields = FieldSelection::Except(fields.into_iter().map(Into::into).collect());
        self
    }

    /// Who every message mentions (default nobody).
    #[must_use]
    pub fn mentions(mut self, mentions: Mentions) -> Self {
        self.settings.mentions = mentions;
        self
    }

    /// Who messages for events at `level` mention, instead of [`mentions`](Self::mentions).
    #[must_use]
    pub fn level_mentions(mut self, level: Level, mentions: Mentions) -> Self {
        self.settings.level_mentions[level_index(level)] = Some(mentions);
        self
    }

    /// The message title (what the notification shows), with `{level}`, `{target}`,
    /// `{message}`, `{service}` and `{host}` replaced. Default [`DEFAULT_TITLE`].
    #[must_use]
    pub fn title(mut self, format: impl Into<String>) -> Self {
        self.settings.title = format.into();
        self
    }

    /// The service name written into every message (and `{service}` in the title).
    #[must_use]
    pub fn service(mut self, name: impl Into<String>) -> Self {
        self.settings.service = Some(name.into());
        self
    }

    /// The host name written into every message (and `{host}` in the title).
    #[must_use]
    pub fn host(mut self, name: impl Into<String>) -> Self {
        self.settings.host = Some(name.into());
        self
    }

    /// The digest the messages go through (default [`DigestConfig::default`]; its
    /// `close_timeout` is replaced by [`shutdown_timeout`](Self::shutdown_timeout)).
    #[must_use]
    pub fn digest(mut self, config: DigestConfig) -> Self {
        self.settings.digest = config;
        self
    }

    /// How many events may wait for the worker (default 1024, at least 1). When it is
    /// full, events are counted as dropped and reported in the next message.
    #[must_use]
    pub fn queue_capacity(mut self, events: usize) -> Self {
        self.settings.queue = events.max(1);
        self
    }

    /// How long dropping the [`Guard`] waits for what is queued to be delivered
    /// (default 30 s, real time).
    #[must_use]
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.settings.shutdown_timeout = timeout;
        self
    }

    /// Called with a description of each delivery failure, instead of the default: the
    /// first failure written to stderr. Called on the worker thread; never through
    /// `tracing` (what it logs there is not sent either).
    #[must_use]
    pub fn on_failure(mut self, hook: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.settings.on_failure = Some(Arc::new(hook));
        self
    }

    /// The layer and its [`Guard`]; starts the worker thread.
    pub fn build<S>(self) -> (AlertLayer<S>, Guard)
    where
        S: ::tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    {
        use tracing_subscriber::Layer as _;
        let mut settings = self.settings;
        settings.digest = settings
            .digest
            .clone()
            .close_timeout(settings.shutdown_timeout);
        let settings = Arc::new(settings);
        let (queue, guard) = worker::start(self.robot, Arc::clone(&settings));
        let filter = AlertFilter::new(Arc::clone(&settings));
        (Alerts::new(settings, queue).with_filter(filter), guard)
    }
}
