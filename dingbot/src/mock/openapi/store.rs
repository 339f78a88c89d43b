//! What the emulated app does with an accepted call: issue a token, take a slot in its
//! flow-control window, keep a delivered message, recall one.

use std::time::Instant;

use http::StatusCode;
use serde_json::{Map, Value, json};

use super::reply::Refusal;
use super::{AppDelivery, Emulator};
use crate::app::AppMessage;

impl Emulator {
    pub(super) fn issue_token(
        &self,
        fields: &Map<String, Value>,
        now: Instant,
    ) -> Result<Value, Refusal> {
        let given = |name: &str| fields.get(name).and_then(Value::as_str).unwrap_or_default();
        if given("appKey") != self.settings.app_key {
            return Err(Refusal {
                status: StatusCode::BAD_REQUEST,
                code: "invalidClientId",
                message: "无效的clientId".into(),
                reason: "appKey is not this app's key".into(),
            });
        }
        if given("appSecret") != self.settings.app_secret {
            return Err(Refusal {
                status: StatusCode::BAD_REQUEST,
                code: "invalidClientSecret",
                message: "无效的clientSecret".into(),
                reason: "appSecret is not this app's secret".into(),
            });
        }
        let ttl = self.settings.token_ttl;
        let until = crate::clock::later(now, ttl);
        let mut state = self.lock();
        state.tokens.retain(|_, &mut expiry| now < expiry);
        state.tokens_issued += 1;
        // Asked again while a token lives, DingTalk answers the same one, renewed.
        let token = match state.tokens.keys().next() {
            Some(live) => live.clone(),
            None => format!(
                "mock-app-token-{:016x}{:016x}",
                fastrand::u64(..),
                fastrand::u64(..)
            ),
        };
        state.tokens.insert(token.clone(), until);
        Ok(json!({ "accessToken": token, "expireIn": ttl.as_secs() }))
    }

    /// A slot in the app's flow-control window, or DingTalk's QPS refusal.
    pub(super) fn take_slot(&self, now: Instant) -> Result<(), Refusal> {
        let Some(rate) = self.settings.rate else {
            return Ok(());
        };
        let mut state = self.lock();
        while state
            .window
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= rate.per())
        {
            state.window.pop_front();
        }
        if state.window.len() >= rate.limit() as usize {
            return Err(Refusal {
                status: StatusCode::FORBIDDEN,
                code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi",
                message: "调用频率超过限制".into(),
                reason: format!("the app called more than {rate}: the OpenAPI's flow control"),
            });
        }
        state.window.push_back(now);
        Ok(())
    }

    pub(super) fn deliver(
        &self,
        open_conversation_id: Option<String>,
        user_ids: Vec<String>,
        msg_key: String,
        msg_param: String,
        keep: usize,
    ) -> Value {
        let mut state = self.lock();
        let key = format!("mock-pqk-{}", state.next_key);
        state.next_key += 1;
        if state.delivered.len() >= keep {
            state.delivered.pop_front();
        }
        state.delivered.push_back(AppDelivery {
            process_query_key: key.clone(),
            open_conversation_id,
            user_ids,
            message: AppMessage::decode(&msg_key, &msg_param),
            msg_key,
            msg_param,
            recalled: false,
        });
        json!({ "processQueryKey": key })
    }

    pub(super) fn recall(&self, group: Option<&str>, keys: &[String]) -> Value {
        let mut state = self.lock();
        let mut recalled = Vec::new();
        let mut failed = Map::new();
        for key in keys {
            let found = state.delivered.iter_mut().find(|d| {
                &d.process_query_key == key && d.open_conversation_id.as_deref() == group
            });
            match found {
                Some(delivery) => {
                    delivery.recalled = true;
                    recalled.push(key.clone());
                }
                None => {
                    failed.insert(key.clone(), json!("processQueryKey not found"));
                }
            }
        }
        json!({ "successResult": recalled, "failedResult": failed })
    }
}
