//! DingTalk's OpenAPI for app robots, written once: the base URL, the paths, the token
//! header, the limits, and the message templates (`msgKey`s with their fields). Read by
//! the [`AppRobot`](crate::AppRobot) and the emulator alike, so the two cannot drift.

use std::time::Duration;

/// The OpenAPI's base URL.
pub const DEFAULT_OPENAPI: &str = "https://api.dingtalk.com";

/// `POST`: `{"appKey", "appSecret"}` → `{"accessToken", "expireIn"}`. The same app key and
/// secret open Stream-mode connections.
pub(crate) const TOKEN_PATH: &str = "/v1.0/oauth2/accessToken";
/// `POST`: a message to a group.
pub(crate) const GROUP_SEND_PATH: &str = "/v1.0/robot/groupMessages/send";
/// `POST`: a message to up to 20 users, one to one.
pub(crate) const USERS_SEND_PATH: &str = "/v1.0/robot/oToMessages/batchSend";
/// `POST`: recall group messages by their `processQueryKey`s.
pub(crate) const GROUP_RECALL_PATH: &str = "/v1.0/robot/groupMessages/recall";
/// `POST`: recall one-to-one messages by their `processQueryKey`s.
pub(crate) const USERS_RECALL_PATH: &str = "/v1.0/robot/otoMessages/batchRecall";

/// The header that carries the access token.
pub(crate) const TOKEN_HEADER: &str = "x-acs-dingtalk-access-token";

/// The most bytes of `msgParam` (reported in DingTalk's docs; checked before sending).
pub const MAX_MSG_PARAM_BYTES: usize = 15_000;
/// The most users one one-to-one send may name.
pub const MAX_USER_IDS: usize = 20;
/// How long a token lives, as DingTalk answers it (`expireIn`).
#[cfg_attr(
    not(feature = "mock"),
    expect(dead_code, reason = "only the emulator issues tokens")
)]
pub(crate) const TOKEN_LIFETIME: Duration = Duration::from_secs(7200);
/// The OpenAPI's rate per app (20 QPS on the standard edition, reported).
pub(crate) const APP_QPS: u32 = 20;

/// A message template: its `msgKey` and the fields its `msgParam` holds. A field written
/// with a trailing `?` may be left out.
pub(crate) struct Template {
    pub(crate) key: &'static str,
    pub(crate) fields: &'static [&'static str],
}

/// The robot message templates dingbot knows (DingTalk's "robot message types").
/// `sampleActionCard2`..`5` stack 2..5 buttons (`actionTitleN`, `actionURLN`);
/// `sampleActionCard6` lays two buttons side by side (`buttonTitleN`, `buttonUrlN`; the
/// docs and SDK samples disagree on the case of `Url`, so both are accepted).
pub(crate) const TEMPLATES: &[Template] = &[
    Template {
        key: "sampleText",
        fields: &["content"],
    },
    Template {
        key: "sampleMarkdown",
        fields: &["title", "text"],
    },
    Template {
        key: "sampleLink",
        fields: &["title", "text", "messageUrl", "picUrl?"],
    },
    Template {
        key: "sampleImageMsg",
        fields: &["photoURL"],
    },
    Template {
        key: "sampleActionCard",
        fields: &["title", "text", "singleTitle", "singleURL"],
    },
    Template {
        key: "sampleActionCard2",
        fields: &[
            "title",
            "text",
            "actionTitle1",
            "actionURL1",
            "actionTitle2",
            "actionURL2",
        ],
    },
    Template {
        key: "sampleActionCard3",
        fields: &[
            "title",
            "text",
            "actionTitle1",
            "actionURL1",
            "actionTitle2",
            "actionURL2",
            "actionTitle3",
            "actionURL3",
        ],
    },
    Template {
        key: "sampleActionCard4",
        fields: &[
            "title",
            "text",
            "actionTitle1",
            "actionURL1",
            "actionTitle2",
            "actionURL2",
            "actionTitle3",
            "actionURL3",
            "actionTitle4",
            "actionURL4",
        ],
    },
    Template {
        key: "sampleActionCard5",
        fields: &[
            "title",
            "text",
            "actionTitle1",
            "actionURL1",
            "actionTitle2",
            "actionURL2",
            "actionTitle3",
            "actionURL3",
            "actionTitle4",
            "actionURL4",
            "actionTitle5",
            "actionURL5",
        ],
    },
    Template {
        key: "sampleActionCard6",
        fields: &[
            "title",
            "text",
            "buttonTitle1",
            "buttonUrl1",
            "buttonTitle2",
            "buttonUrl2",
        ],
    },
    Template {
        key: "sampleAudio",
        fields: &["mediaId", "duration"],
    },
    Template {
        key: "sampleFile",
        fields: &["mediaId", "fileName", "fileType"],
    },
    Template {
        key: "sampleVideo",
        fields: &["duration", "videoMediaId", "videoType", "picMediaId"],
    },
];

/// The template of a `msgKey`, if dingbot knows it.
pub(crate) fn template(key: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.key == key)
}

impl Template {
    /// The first field `params` lacks (as a non-empty string), if any. `buttonUrlN` may
    /// be spelt `buttonURLN`.
    pub(crate) fn missing_field(
        &self,
        params: &serde_json::Map<String, serde_json::Value>,
    ) -> Option<&'static str> {
        self.fields.iter().copied().find(|field| {
            let (name, optional) = match field.strip_suffix('?') {
                Some(name) => (name, true),
                None => (*field, false),
            };
            let value = params
                .get(name)
                .or_else(|| params.get(&name.replace("Url", "URL")));
            match value {
                None => !optional,
                Some(serde_json::Value::String(s)) => s.is_empty() && !optional,
                // Durations are sometimes sent as numbers.
                Some(serde_json::Value::Number(_)) => false,
                Some(_) => true,
            }
        })
    }
}
