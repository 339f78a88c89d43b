//! The app robot's side of the emulator: DingTalk's OpenAPI on the same port as the
//! webhook — tokens, group and one-to-one sends, recalls — with DingTalk's checks, its
//! error shapes and its flow control, recorded among the webhook's requests.
//!
//! | file | owns |
//! |---|---|
//! | `mod.rs` | [`AppDelivery`], the settings and the state one emulated app keeps |
//! | `settings.rs` | the builder's `app…` settings and the handle's `app…` methods |
//! | `serve.rs` | one OpenAPI request: routed, checked, answered, recorded |
//! | `store.rs` | what an accepted call does: a token issued, a flow-control slot, a message kept or recalled |
//! | `reply.rs` | the OpenAPI's answers: JSON, and `{"code", "message", "requestid"}` errors |
//!
//! The token endpoint is the app's own door: what it checks (the app key and secret)
//! and the tokens it issues are kept here so that other OpenAPI endpoints (a Stream
//! gateway's `connections/open`) can serve the same app.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::app::facts::{APP_QPS, TOKEN_LIFETIME};
use crate::message::Message;
use crate::rate::Rate;

mod reply;
pub(crate) mod serve;
mod settings;
mod store;

/// The emulated app's settings, as the builder keeps them.
#[derive(Clone, Debug)]
pub(crate) struct AppSettings {
    pub(crate) app_key: String,
    pub(crate) app_secret: String,
    pub(crate) robot_code: String,
    pub(crate) token_ttl: Duration,
    pub(crate) rate: Option<Rate>,
    /// When not empty, the only user ids a one-to-one send reaches; others are answered
    /// in `invalidStaffIdList`.
    pub(crate) staff: Vec<String>,
}

impl AppSettings {
    pub(crate) fn new(app_key: String, app_secret: String, robot_code: String) -> AppSettings {
        AppSettings {
            app_key,
            app_secret,
            robot_code,
            token_ttl: TOKEN_LIFETIME,
            rate: Some(Rate::new(APP_QPS, Duration::from_secs(1))),
            staff: Vec::new(),
        }
    }

    /// Refuses settings DingTalk would never have: an empty key, secret or robot code,
    /// a token that lives no time, a rate that allows nothing.
    pub(crate) fn check(&self) -> Result<(), crate::mock::MockError> {
        let refuse = crate::mock::MockError::setting;
        if [&self.app_key, &self.app_secret, &self.robot_code]
            .iter()
            .any(|v| v.trim().is_empty())
        {
            return Err(refuse(
                "the app key, app secret and robot code must not be empty",
            ));
        }
        if self.token_ttl < Duration::from_secs(1) {
            return Err(refuse("the app's tokens must live at least 1 s"));
        }
        if self
            .rate
            .is_some_and(|r| r.limit() == 0 || r.per().is_zero())
        {
            return Err(refuse("the app's rate limit must allow at least one call"));
        }
        Ok(())
    }
}

/// A message the emulated app robot accepted, as listed by
/// [`MockServer::app_messages`](super::MockServer::app_messages).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppDelivery {
    /// The key the emulator answered (`processQueryKey`).
    pub process_query_key: String,
    /// The group's `openConversationId`, for a group send.
    pub open_conversation_id: Option<String>,
    /// The users reached, for a one-to-one send (those answered as invalid left out).
    pub user_ids: Vec<String>,
    /// The template.
    pub msg_key: String,
    /// The template's parameters, the JSON string as sent.
    pub msg_param: String,
    /// The webhook message that shows the same, when the template has one
    /// ([`AppMessage::decode`](crate::AppMessage::decode)).
    pub message: Option<Message>,
    /// Whether it has been recalled since.
    pub recalled: bool,
}

/// What the emulated app remembers between requests.
pub(crate) struct AppState {
    /// Issued tokens and when each expires.
    pub(crate) tokens: HashMap<String, Instant>,
    /// How many tokens the token endpoint issued (a renewal of a live one included).
    pub(crate) tokens_issued: u64,
    /// When each call in the current flow-control window was taken.
    pub(crate) window: VecDeque<Instant>,
    /// The last `keep` accepted messages.
    pub(crate) delivered: VecDeque<AppDelivery>,
    pub(crate) next_key: u64,
}

/// One emulated app: its settings and its state.
pub(crate) struct Emulator {
    pub(crate) settings: AppSettings,
    state: Mutex<AppState>,
}

impl Emulator {
    pub(crate) fn new(settings: AppSettings) -> Emulator {
        Emulator {
            settings,
            state: Mutex::new(AppState {
                tokens: HashMap::new(),
                tokens_issued: 0,
                window: VecDeque::new(),
                delivered: VecDeque::new(),
                next_key: 1,
            }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, AppState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets the delivered messages and the flow-control window
    /// ([`MockServer::reset`](crate::mock::MockServer::reset)).
    pub(crate) fn reset(&self) {
        let mut state = self.lock();
        state.delivered.clear();
        state.window.clear();
    }

    /// Whether `token` is one this app issued and it has not expired at `now`.
    pub(crate) fn token_valid(&self, token: &str, now: Instant) -> bool {
        self.lock()
            .tokens
            .get(token)
            .is_some_and(|&until| now < until)
    }
}
