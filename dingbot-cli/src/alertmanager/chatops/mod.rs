//! Alerts handled from the group: `@robot silence HighLatency 2h`, `unsilence <id>`,
//! `alerts` and `help`, carried out through Alertmanager's API v2 and answered in the
//! group with what was done (the silence's id, its matchers, until when, by whom).
//!
//! | file | owns |
//! |---|---|
//! | `matchers.rs` | an alert name or Alertmanager's matchers, parsed |
//! | `api.rs` | Alertmanager's API v2: silences and the alerts firing |
//! | `run.rs` | the app robot in Stream mode that carries it: each message answered through its session webhook |
//!
//! Transport-free: [`ChatOps::answer`] takes who wrote what and returns the reply, so
//! any robot that answers (Stream mode, an Outgoing callback) can carry it.

mod api;
mod matchers;
mod run;

use std::collections::BTreeSet;
use std::time::Duration;

use dingbot::DingCommand;
use dingbot::Markdown;
use dingbot::markdown::{Inline, Writer};

pub use api::Api;
pub use matchers::Matcher;
pub use run::{Answering, Running};

/// The most firing alerts an `alerts` reply lists; the rest are counted.
const MAX_LISTED: usize = 30;

/// The longest silence the group may set.
const MAX_SILENCE: Duration = Duration::from_secs(30 * 24 * 3600);

/// What the group may ask of Alertmanager.
#[derive(DingCommand, Debug, PartialEq)]
pub enum Ops {
    /// Silence alerts for a while: an alert name, or matchers such as job="api",severity=~"warn|crit"
    #[ding(alias = "mute", alias = "静音")]
    Silence {
        /// An alert name, or matchers
        target: String,
        /// How long: 30m, 2h, 1d
        duration: Duration,
        /// Why, for the others in the group
        #[ding(flag)]
        comment: Option<String>,
    },
    /// Lift a silence by its id
    #[ding(alias = "unmute")]
    Unsilence {
        /// The silence's id, as the reply to silence gave it
        id: String,
    },
    /// What is firing now, not silenced
    Alerts,
}

/// Who may act.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Allowed {
    /// Everyone in the group.
    Everyone,
    /// These staff ids only.
    StaffIds(BTreeSet<String>),
}

/// Who wrote to the robot.
#[derive(Clone, Debug)]
pub struct Sender {
    /// Their staff id (`senderStaffId`), which `chatops.allowed` lists.
    pub staff_id: String,
    /// Their name in the group (`senderNick`).
    pub nick: String,
}

/// The group's commands, carried out on one Alertmanager.
#[derive(Clone, Debug)]
pub struct ChatOps {
    api: Api,
    allowed: Allowed,
    timezone: jiff::tz::TimeZone,
}

impl ChatOps {
    /// Commands on `api`, taken from `allowed`, with times shown in `timezone`.
    pub fn new(api: Api, allowed: Allowed, timezone: jiff::tz::TimeZone) -> ChatOps {
        ChatOps {
            api,
            allowed,
            timezone,
        }
    }

    /// The reply to `text`, written by `sender`: what was done, or why not.
    pub async fn answer(&self, sender: &Sender, text: &str) -> Markdown {
        let ops = match Ops::parse(text) {
            Ok(ops) => ops,
            Err(wrong) => return wrong.reply(),
        };
        if !self.may_act(sender) {
            tracing::warn!(staff_id = %sender.staff_id, command = ?ops, "a command from someone not in chatops.allowed was refused");
            return reply(
                "Not allowed",
                Writer::new()
                    .heading(4, "⛔ Not allowed")
                    .paragraph(
                        Inline::text(&sender.nick)
                            + " may not act on alerts here: ask an admin to add your staff id to chatops.allowed",
                    ),
            );
        }
        let done = match ops {
            Ops::Silence {
                target,
                duration,
                comment,
            } => self.silence(sender, &target, duration, comment).await,
            Ops::Unsilence { id } => self.unsilence(sender, &id).await,
            Ops::Alerts => self.alerts().await,
        };
        done.unwrap_or_else(|err| {
            reply(
                "Alertmanager failed",
                Writer::new()
                    .heading(4, "⚠️ Not done")
                    .paragraph(Inline::text(&err)),
            )
        })
    }

    fn may_act(&self, sender: &Sender) -> bool {
        match &self.allowed {
            Allowed::Everyone => true,
            Allowed::StaffIds(ids) => !sender.staff_id.is_empty() && ids.contains(&sender.staff_id),
        }
    }

    async fn silence(
        &self,
        sender: &Sender,
        target: &str,
        duration: Duration,
        comment: Option<String>,
    ) -> Result<Markdown, String> {
        let matchers = matchers::parse(target)?;
        if duration.is_zero() || duration > MAX_SILENCE {
            return Err(format!(
                "a silence lasts more than nothing and at most 30 days, not {}",
                jiff::SignedDuration::try_from(duration)
                    .map_or_else(|_| "that".to_owned(), |d| format!("{d:#}"))
            ));
        }
        let now = jiff::Timestamp::now();
        let until = now
            .checked_add(jiff::SignedDuration::try_from(duration).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        let by = created_by(sender);
        let comment =
            comment.unwrap_or_else(|| format!("silenced from DingTalk by {}", sender.nick));
        let id = self
            .api
            .silence(&matchers, now, until, &by, &comment)
            .await?;
        tracing::info!(silence = %id, by = %by, matchers = %shown(&matchers), "silence created from the group");
        Ok(reply(
            "Silenced",
            Writer::new()
                .heading(4, "🔕 Silenced")
                .field("Matchers", shown(&matchers))
                .field("Until", self.local(until))
                .field("By", by)
                .field("Comment", comment)
                .field("ID", id.as_str())
                .paragraph(Inline::text("Lift it with: unsilence ") + Inline::bold(id.as_str())),
        ))
    }

    async fn unsilence(&self, sender: &Sender, id: &str) -> Result<Markdown, String> {
        self.api.unsilence(id).await?;
        tracing::info!(silence = %id, by = %created_by(sender), "silence expired from the group");
        Ok(reply(
            "Silence lifted",
            Writer::new()
                .heading(4, "🔔 Silence lifted")
                .field("ID", id)
                .field("By", created_by(sender)),
        ))
    }

    async fn alerts(&self) -> Result<Markdown, String> {
        let firing = self.api.firing().await?;
        if firing.is_empty() {
            return Ok(reply(
                "Nothing firing",
                Writer::new().heading(4, "✅ Nothing is firing (but what is silenced)"),
            ));
        }
        let lines: Vec<Inline> = firing
            .iter()
            .take(MAX_LISTED)
            .map(|alert| {
                let name = alert
                    .labels
                    .get("alertname")
                    .map_or("(no alertname)", String::as_str);
                let mut line = Inline::text("🔥 ") + Inline::bold(name);
                if let Some(summary) = alert.annotations.get("summary") {
                    line = line + " — " + summary.as_str();
                }
                let labels: Vec<String> = alert
                    .labels
                    .iter()
                    .filter(|(k, _)| k.as_str() != "alertname")
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                if !labels.is_empty() {
                    line = line + " · " + labels.join(" · ").as_str();
                }
                line
            })
            .collect();
        let mut writer = Writer::new()
            .heading(4, format!("🔥 {} firing", firing.len()).as_str())
            .list(lines);
        if firing.len() > MAX_LISTED {
            writer = writer.paragraph(format!("… and {} more", firing.len() - MAX_LISTED).as_str());
        }
        Ok(reply(&format!("{} firing", firing.len()), writer))
    }

    fn local(&self, at: jiff::Timestamp) -> String {
        at.to_zoned_datetime(self.timezone.clone())
            .strftime("%Y-%m-%d %H:%M:%S %Z")
            .to_string()
    }
}

fn created_by(sender: &Sender) -> String {
    match (sender.nick.is_empty(), sender.staff_id.is_empty()) {
        (false, false) => format!("{} ({}) via DingTalk", sender.nick, sender.staff_id),
        (false, true) => format!("{} via DingTalk", sender.nick),
        (true, _) => format!("{} via DingTalk", sender.staff_id),
    }
}

fn shown(matchers: &[Matcher]) -> String {
    matchers
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn reply(title: &str, body: Writer) -> Markdown {
    Markdown::new(title, body.finish())
}
