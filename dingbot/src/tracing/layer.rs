//! The caller's side: which events are taken ([`AlertFilter`]) and how they are turned
//! into owned records and queued ([`Alerts`]). Nothing here waits.

use std::fmt::{self, Write as _};
use std::sync::Arc;

use ::tracing::field::{Field, Visit};
use ::tracing::span::{Attributes, Id, Record as SpanValues};
use ::tracing::subscriber::Interest;
use ::tracing::{Event, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Filter, Layer};
use tracing_subscriber::registry::LookupSpan;

use super::queue::{Queue, on_worker_thread};
use super::record::{FieldSelection, Record, Settings, SpanRecord};

/// The layer [`layer`](super::layer) and [`LayerBuilder::build`](super::LayerBuilder::build) return: [`Alerts`] behind its own
/// per-layer [`AlertFilter`], so what it refuses stays visible to the other layers.
pub type AlertLayer<S> = tracing_subscriber::filter::Filtered<Alerts, AlertFilter, S>;

/// Targets whose events never become messages, whatever the filters say: dingbot itself
/// and the stack it sends through, so delivering can never log its way into a loop.
const ALWAYS_EXCLUDED: &[&str] = &[
    "dingbot",
    "reqwest",
    "hyper",
    "hyper_util",
    "h2",
    "tokio",
    "rustls",
    "tower",
    "axum",
    "want",
    "mio",
];

/// A span's fields, kept in its extensions.
struct SpanFields(Vec<(&'static str, String)>);

/// Whether `target` is `prefix` or inside it (`a::b` is inside `a`, `ab` is not).
fn within(target: &str, prefix: &str) -> bool {
    match target.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with("::"),
        None => false,
    }
}

/// The per-layer filter of the layer: its level and target rules, and the worker's
/// threads ignored. Being a per-layer filter, what it refuses is still seen by the
/// other layers; a callsite it refuses is refused once, when it registers.
pub struct AlertFilter {
    settings: Arc<Settings>,
}

impl fmt::Debug for AlertFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlertFilter")
            .field("level", &self.settings.level)
            .finish_non_exhaustive()
    }
}

impl AlertFilter {
    pub(super) fn new(settings: Arc<Settings>) -> AlertFilter {
        AlertFilter { settings }
    }

    /// The callsite's verdict, independent of the thread. Spans of every level are
    /// taken (for the span stack of the events inside them); events from the level up.
    fn takes(&self, meta: &Metadata<'_>) -> bool {
        if meta.is_event() && *meta.level() > self.settings.level {
            return false;
        }
        let target = meta.target();
        if ALWAYS_EXCLUDED.iter().any(|p| within(target, p))
            || self.settings.exclude.iter().any(|p| within(target, p))
        {
            return false;
        }
        self.settings.include.is_empty() || self.settings.include.iter().any(|p| within(target, p))
    }
}

impl<S> Filter<S> for AlertFilter {
    fn enabled(&self, meta: &Metadata<'_>, _: &Context<'_, S>) -> bool {
        // The level first: an event below it costs one comparison.
        (meta.is_span() || *meta.level() <= self.settings.level)
            && !on_worker_thread()
            && self.takes(meta)
    }

    fn callsite_enabled(&self, meta: &'static Metadata<'static>) -> Interest {
        if self.takes(meta) {
            // Asked per event, so that events on the worker's threads are refused.
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }
}

/// The layer: formats each event it is given into an owned record and offers it to the
/// worker's bounded queue (see [`super::layer`]).
pub struct Alerts {
    settings: Arc<Settings>,
    queue: Queue,
}

impl fmt::Debug for Alerts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Alerts")
            .field("level", &self.settings.level)
            .finish_non_exhaustive()
    }
}

impl Alerts {
    pub(super) fn new(settings: Arc<Settings>, queue: Queue) -> Alerts {
        Alerts { settings, queue }
    }
}

impl<S> Layer<S> for Alerts
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut visitor = Fields::new(&self.settings.fields);
        attrs.record(&mut visitor);
        span.extensions_mut().insert(SpanFields(visitor.fields));
    }

    fn on_record(&self, id: &Id, values: &SpanValues<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut visitor = Fields::new(&self.settings.fields);
        values.record(&mut visitor);
        let mut extensions = span.extensions_mut();
        match extensions.get_mut::<SpanFields>() {
            Some(SpanFields(fields)) => {
                for (name, value) in visitor.fields {
                    match fields.iter_mut().find(|(n, _)| *n == name) {
                        Some(slot) => slot.1 = value,
                        None => fields.push((name, value)),
                    }
                }
            }
            None => extensions.insert(SpanFields(visitor.fields)),
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if on_worker_thread() {
            return;
        }
        let meta = event.metadata();
        let mut visitor = Fields::new(&self.settings.fields);
        event.record(&mut visitor);
        let spans = match ctx.event_scope(event) {
            Some(scope) => scope
                .from_root()
                .map(|span| SpanRecord {
                    name: span.name(),
                    fields: span
                        .extensions()
                        .get::<SpanFields>()
                        .map(|f| f.0.clone())
                        .unwrap_or_default(),
                })
                .collect(),
            None => Vec::new(),
        };
        self.queue.offer(Record {
            level: *meta.level(),
            target: meta.target(),
            callsite: meta.callsite(),
            message: visitor.message,
            fields: visitor.fields,
            spans,
            file: meta.file(),
            line: meta.line(),
        });
    }
}

/// Collects an event's or a span's fields as text.
struct Fields<'a> {
    selection: &'a FieldSelection,
    message: String,
    fields: Vec<(&'static str, String)>,
}

impl<'a> Fields<'a> {
    fn new(selection: &'a FieldSelection) -> Fields<'a> {
        Fields {
            selection,
            message: String::new(),
            fields: Vec::new(),
        }
    }
}

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else if self.selection.keeps(field.name()) {
            self.fields.push((field.name(), value.to_owned()));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else if self.selection.keeps(field.name()) {
            self.fields.push((field.name(), format!("{value:?}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn targets_match_at_module_boundaries() {
        assert!(within("dingbot", "dingbot"));
        assert!(within("dingbot::digest", "dingbot"));
        assert!(!within("dingbot_tests", "dingbot"));
        assert!(!within("hyper_util", "hyper"));
    }
}
