//! One request to the OpenAPI: routed by its path, checked in DingTalk's order (method,
//! JSON body, token, flow control, robot code, parameters), answered, and recorded
//! among the webhook's requests. The app secret is masked in the record.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;
use http::{Method, Response, StatusCode, header, request::Parts};
use serde_json::{Map, Value, json};

use super::Emulator;
use super::reply::{Refusal, json_response};
use crate::app::facts::{self, MAX_MSG_PARAM_BYTES, MAX_USER_IDS};
use crate::mock::record::RecordedRequest;
use crate::mock::shared::Shared;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Token,
    GroupSend,
    UsersSend,
    GroupRecall,
    UsersRecall,
}

fn route(path: &str) -> Option<Endpoint> {
    Some(match path {
        facts::TOKEN_PATH => Endpoint::Token,
        facts::GROUP_SEND_PATH => Endpoint::GroupSend,
        facts::USERS_SEND_PATH => Endpoint::UsersSend,
        facts::GROUP_RECALL_PATH => Endpoint::GroupRecall,
        facts::USERS_RECALL_PATH => Endpoint::UsersRecall,
        _ => return None,
    })
}

/// Answers a request to one of the OpenAPI's paths when the emulator serves an app;
/// `None` leaves the request to the webhook's side.
pub(crate) fn serve(
    shared: &Shared,
    parts: &Parts,
    body: &[u8],
    body_len: u64,
    peer: SocketAddr,
    at: Instant,
) -> Option<Response<Bytes>> {
    let app = shared.openapi.get()?;
    let endpoint = route(parts.uri.path())?;
    let now = shared.config.clock.now();
    let outcome = match injected_status(shared, endpoint) {
        Some(refusal) => Err(refusal),
        None => answer(app, endpoint, parts, body, now, shared.limits.keep),
    };
    let mut record = RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        body: masked_body(body, &app.settings.app_secret),
        body_len,
        msg_uuid: None,
        http_status: None,
        errcode: None,
        errmsg: None,
        reason: None,
        fault: None,
        accepted: false,
        duplicate: false,
        peer,
        at,
    };
    let response = match outcome {
        Ok(value) => {
            record.accepted = matches!(endpoint, Endpoint::GroupSend | Endpoint::UsersSend);
            record.http_status = Some(200);
            // The token itself stays out of the record.
            if endpoint != Endpoint::Token {
                record.errmsg = Some(value.to_string());
            }
            json_response(StatusCode::OK, &value)
        }
        Err(refusal) => {
            record.http_status = Some(refusal.status.as_u16());
            record.errmsg = Some(format!("{} {}", refusal.code, refusal.message));
            record.reason = Some(refusal.reason.clone());
            refusal.answer()
        }
    };
    shared.record(record);
    Some(response)
}

/// A queued [`Fault::Status`](crate::mock::Fault::Status), taken by a send or recall
/// (not by the token endpoint) and answered in the OpenAPI's shape for its status.
/// Other faults stay queued for the webhook.
fn injected_status(shared: &Shared, endpoint: Endpoint) -> Option<Refusal> {
    if endpoint == Endpoint::Token {
        return None;
    }
    let mut state = shared.lock();
    let Some(crate::mock::Fault::Status(status)) = state.faults.front() else {
        return None;
    };
    let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    state.faults.pop_front();
    let (code, message) = match status.as_u16() {
        401 => ("InvalidAuthentication", "不合法的access_token"),
        403 => (
            "Forbidden.AccessDenied.AccessTokenPermissionDenied",
            "没有调用该接口的权限",
        ),
        429 => ("Throttling", "请求被流控"),
        400..=499 => ("param.invalid", "参数错误"),
        _ => ("ServiceUnavailable", "服务暂不可用"),
    };
    Some(Refusal {
        status,
        code,
        message: message.into(),
        reason: format!("an injected fault: HTTP {}", status.as_u16()),
    })
}

/// The body as recorded: the app secret's value masked wherever it appears.
fn masked_body(body: &[u8], secret: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    match secret.is_empty() || !text.contains(secret) {
        true => body.to_vec(),
        false => text.replace(secret, "***").into_bytes(),
    }
}

fn answer(
    app: &Emulator,
    endpoint: Endpoint,
    parts: &Parts,
    body: &[u8],
    now: Instant,
    keep: usize,
) -> Result<Value, Refusal> {
    if parts.method != Method::POST {
        return Err(Refusal {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "MethodNotAllowed",
            message: "the OpenAPI takes POST here".into(),
            reason: "the OpenAPI's robot and token endpoints take POST".into(),
        });
    }
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return Err(Refusal::param(
            "body is mandatory for this action",
            "the body must be a JSON object (Content-Type: application/json)",
        ));
    };
    if endpoint == Endpoint::Token {
        return app.issue_token(&fields, now);
    }
    let token = parts
        .headers
        .get(facts::TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if token.is_empty() {
        return Err(Refusal::token(format!(
            "no access token: send it in the {} header",
            facts::TOKEN_HEADER
        )));
    }
    if !app.token_valid(token, now) {
        return Err(Refusal::token(
            "the access token was not issued by this app or has expired: fetch a new one",
        ));
    }
    app.take_slot(now)?;
    if fields.get("robotCode").and_then(Value::as_str) != Some(app.settings.robot_code.as_str()) {
        return Err(Refusal {
            status: StatusCode::BAD_REQUEST,
            code: "resource.not.found",
            message: "robot 不存在".into(),
            reason: "robotCode is not this app's robot code".into(),
        });
    }
    match endpoint {
        Endpoint::GroupSend => {
            let cid = string(&fields, "openConversationId")?;
            let (key, param) = template(&fields)?;
            Ok(app.deliver(Some(cid), Vec::new(), key, param, keep))
        }
        Endpoint::UsersSend => {
            let users = strings(&fields, "userIds")?;
            if users.is_empty() || users.len() > MAX_USER_IDS {
                return Err(Refusal::param(
                    format!("userIds 最多支持{MAX_USER_IDS}个"),
                    format!(
                        "userIds names {} users; 1 to {MAX_USER_IDS} a call",
                        users.len()
                    ),
                ));
            }
            let (key, param) = template(&fields)?;
            let staff = &app.settings.staff;
            let (reached, invalid): (Vec<String>, Vec<String>) = users
                .into_iter()
                .partition(|u| staff.is_empty() || staff.contains(u));
            let mut answer = app.deliver(None, reached, key, param, keep);
            answer["invalidStaffIdList"] = json!(invalid);
            answer["flowControlledStaffIdList"] = json!([]);
            Ok(answer)
        }
        Endpoint::GroupRecall => {
            let cid = string(&fields, "openConversationId")?;
            let keys = strings(&fields, "processQueryKeys")?;
            Ok(app.recall(Some(&cid), &keys))
        }
        Endpoint::UsersRecall => {
            let keys = strings(&fields, "processQueryKeys")?;
            Ok(app.recall(None, &keys))
        }
        // Answered before the token check; here for completeness.
        Endpoint::Token => app.issue_token(&fields, now),
    }
}

fn string(fields: &Map<String, Value>, name: &str) -> Result<String, Refusal> {
    match fields.get(name).and_then(Value::as_str) {
        Some(value) if !value.trim().is_empty() => Ok(value.to_owned()),
        _ => Err(Refusal::param(
            format!("{name} 不能为空"),
            format!("{name} is required, a non-empty string"),
        )),
    }
}

fn strings(fields: &Map<String, Value>, name: &str) -> Result<Vec<String>, Refusal> {
    let refused = || {
        Refusal::param(
            format!("{name} 参数错误"),
            format!("{name} is required, an array of strings"),
        )
    };
    fields
        .get(name)
        .and_then(Value::as_array)
        .ok_or_else(refused)?
        .iter()
        .map(|v| v.as_str().map(str::to_owned).ok_or_else(refused))
        .collect()
}

/// `msgKey` and `msgParam`, checked: a template DingTalk has, parameters as a JSON
/// string of at most 15,000 bytes holding the template's fields.
fn template(fields: &Map<String, Value>) -> Result<(String, String), Refusal> {
    let key = string(fields, "msgKey")?;
    let Some(template) = facts::template(&key) else {
        return Err(Refusal::param(
            format!("msgKey {key} 不存在"),
            format!("msgKey `{key}` is not a robot message template"),
        ));
    };
    let param = match fields.get("msgParam") {
        Some(Value::String(param)) => param.clone(),
        Some(_) => {
            return Err(Refusal::param(
                "msgParam 参数错误",
                "msgParam must be a JSON string (the parameters serialised), not an object",
            ));
        }
        None => return Err(Refusal::param("msgParam 不能为空", "msgParam is required")),
    };
    if param.len() > MAX_MSG_PARAM_BYTES {
        return Err(Refusal::param(
            "msgParam 长度超过限制",
            format!(
                "msgParam is {} bytes, at most {MAX_MSG_PARAM_BYTES}",
                param.len()
            ),
        ));
    }
    let Ok(Value::Object(params)) = serde_json::from_str::<Value>(&param) else {
        return Err(Refusal::param(
            "msgParam 参数错误",
            "msgParam must hold a JSON object",
        ));
    };
    if let Some(field) = template.missing_field(&params) {
        let field = field.trim_end_matches('?');
        return Err(Refusal::param(
            format!("msgParam 缺少参数 {field}"),
            format!("{key} needs `{field}` in msgParam, a non-empty string"),
        ));
    }
    Ok((key, param))
}
