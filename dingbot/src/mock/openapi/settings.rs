//! The builder's `app…` settings, and what a handle tells and does about the app.

use std::time::Duration;

use super::{AppDelivery, AppSettings};
use crate::mock::{MockServer, MockServerBuilder};
use crate::rate::Rate;

impl MockServerBuilder {
    /// Also serves an enterprise app's robot through DingTalk's OpenAPI, on the same
    /// port (at [`MockServer::base_url`]): `POST /v1.0/oauth2/accessToken` takes this
    /// app key and secret (`{"appKey", "appSecret"}` → `{"accessToken", "expireIn"}`),
    /// and the robot endpoints — `/v1.0/robot/groupMessages/send`,
    /// `/v1.0/robot/oToMessages/batchSend`, `/v1.0/robot/groupMessages/recall`,
    /// `/v1.0/robot/otoMessages/batchRecall` — take that token in the
    /// `x-acs-dingtalk-access-token` header and this robot code.
    ///
    /// Checked as DingTalk does, in its order, each failure an HTTP 4xx with DingTalk's
    /// `{"code", "message", "requestid"}`: the method (405), a JSON body (400
    /// `param.invalid`), the token (401 `InvalidAuthentication`; a wrong key or secret at
    /// the token endpoint is 400 `invalidClientId` / `invalidClientSecret`), the app's
    /// flow control (403 `Forbidden.AccessDenied.QpsLimitForAppkeyAndApi`, 20 calls a
    /// second by default, [`app_rate_limit`](Self::app_rate_limit)), the robot code (400
    /// `resource.not.found`), then the parameters (400 `param.invalid`): a `msgKey`
    /// DingTalk has, a `msgParam` that is a JSON **string** of at most 15,000 bytes
    /// holding the template's fields, 1 to 20 `userIds`. Every request is recorded among
    /// the webhook's ([`MockServer::requests`], the app secret masked) and each accepted
    /// message in [`MockServer::app_messages`]. A queued
    /// [`Fault::Status`](crate::mock::Fault::Status) is taken by the next send or recall
    /// and answered in the OpenAPI's shape for that status (403
    /// `Forbidden.AccessDenied.AccessTokenPermissionDenied`, 503 `ServiceUnavailable`,
    /// ...); other faults are left for the webhook.
    ///
    /// The same app key and secret also serve the app in Stream mode
    /// ([`stream_app`](Self::stream_app)), so a Stream client and an
    /// [`AppRobot`](crate::AppRobot) can work against one emulator.
    pub fn app(
        mut self,
        app_key: impl Into<String>,
        app_secret: impl Into<String>,
        robot_code: impl Into<String>,
    ) -> Self {
        let (app_key, app_secret) = (app_key.into(), app_secret.into());
        // The same app answers in Stream mode too, as DingTalk's does.
        self = self.stream_app(app_key.clone(), app_secret.clone());
        let settings = AppSettings::new(app_key, app_secret, robot_code.into());
        self.app = Some(match self.app.take() {
            Some(old) => AppSettings {
                staff: old.staff,
                rate: old.rate,
                token_ttl: old.token_ttl,
                ..settings
            },
            None => settings,
        });
        self
    }

    /// How long the app's tokens live (default 7,200 s, DingTalk's); on the emulator's
    /// clock, so a test with a [`Clock::manual`](crate::clock::Clock::manual) expires
    /// them at once. Needs [`app`](Self::app).
    pub fn app_token_ttl(mut self, ttl: Duration) -> Self {
        if let Some(app) = &mut self.app {
            app.token_ttl = ttl;
        }
        self
    }

    /// The app's flow control on the OpenAPI (default 20 calls per second); `None`
    /// switches it off. Needs [`app`](Self::app).
    pub fn app_rate_limit(mut self, rate: Option<Rate>) -> Self {
        if let Some(app) = &mut self.app {
            app.rate = rate;
        }
        self
    }

    /// The user ids a one-to-one send reaches; other ids are answered in
    /// `invalidStaffIdList` (by default every id is reached). Needs [`app`](Self::app).
    pub fn app_staff<I, S>(mut self, user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        if let Some(app) = &mut self.app {
            app.staff.extend(user_ids.into_iter().map(Into::into));
        }
        self
    }
}

impl MockServer {
    /// The messages the app robot accepted, in order (the last
    /// [`keep`](MockServerBuilder::keep)); empty without [`MockServerBuilder::app`].
    pub fn app_messages(&self) -> Vec<AppDelivery> {
        match self.inner.shared.openapi.get() {
            Some(app) => app.lock().delivered.iter().cloned().collect(),
            None => Vec::new(),
        }
    }

    /// How many times the token endpoint issued a token (a live one answered again
    /// included).
    pub fn app_tokens_issued(&self) -> u64 {
        self.inner
            .shared
            .openapi
            .get()
            .map_or(0, |app| app.lock().tokens_issued)
    }

    /// Revokes every token the app was issued, as DingTalk does when the secret is reset:
    /// calls with them are answered 401 `InvalidAuthentication` from now on.
    pub fn revoke_app_tokens(&self) {
        if let Some(app) = self.inner.shared.openapi.get() {
            app.lock().tokens.clear();
        }
    }

    /// The app key, when the emulator serves an app robot.
    pub fn app_key(&self) -> Option<String> {
        let app = self.inner.shared.openapi.get()?;
        Some(app.settings.app_key.clone())
    }

    /// The robot code, when the emulator serves an app robot.
    pub fn robot_code(&self) -> Option<String> {
        let app = self.inner.shared.openapi.get()?;
        Some(app.settings.robot_code.clone())
    }
}
