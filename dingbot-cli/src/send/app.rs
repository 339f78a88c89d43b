//! `dingbot send --app`: the message sent as an enterprise app's robot, through
//! DingTalk's OpenAPI, to a group (`--group`) or to users one to one (`--user`), with the
//! exit codes of a webhook send.

use dingbot::{AppMessage, AppRobot, Error, Message, RetryPolicy};

use super::flags::{App, Target};
use super::{Outcome, given};
use crate::exit::{Class, Failure};

/// Sends `message` as the app's robot (or prints its template, with `--dry-run`).
pub(super) async fn send(
    message: &Message,
    app: &App,
    target: &Target,
) -> Result<Outcome, Failure> {
    if target.msg_uuid.is_some() {
        return Err(Failure::bad_input(
            "--msg-uuid is for webhooks: the OpenAPI has no idempotency key",
        )
        .hint("leave --msg-uuid out with --app"));
    }
    let msg = AppMessage::from_message(message).map_err(failure)?;
    let plain = |flag: &Option<String>| flag.as_ref().map(|v| dingbot::Redacted::new(v.clone()));
    let key = given(plain(&app.app_key).as_ref(), "DINGTALK_APP_KEY");
    let secret = given(app.app_secret.as_ref(), "DINGTALK_APP_SECRET");
    let code = given(plain(&app.robot_code).as_ref(), "DINGTALK_ROBOT_CODE");
    let openapi = given(plain(&app.openapi).as_ref(), "DINGTALK_OPENAPI_ENDPOINT");
    if app.group.is_none() && app.users.is_empty() {
        return Err(Failure::bad_input("--app needs somewhere to send to")
            .hint("pass --group OPEN_CONVERSATION_ID, or --user USER_ID (repeat for several)"));
    }
    let (Some(key), Some(secret), Some(code)) = (key, secret, code) else {
        if target.dry_run {
            return Ok(Outcome::AppPrinted(msg));
        }
        return Err(Failure::bad_input("no app to send as").hint(
            "set DINGTALK_APP_KEY, DINGTALK_APP_SECRET and DINGTALK_ROBOT_CODE (or pass \
             --app-key, --app-secret, --robot-code)",
        ));
    };
    let mut builder = AppRobot::builder(key, secret, code);
    if let Some(url) = openapi {
        builder = builder.openapi_url(url);
    }
    if let Some(timeout) = target.timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(attempts) = target.attempts {
        builder = builder.retry(RetryPolicy::default().max_attempts(attempts));
    }
    let robot = builder.build().map_err(failure)?;
    if target.dry_run {
        return Ok(Outcome::AppPrinted(msg));
    }
    let sent = match &app.group {
        Some(group) => robot.send_to_group(group, &msg).await,
        None => robot.send_to_users(&app.users, &msg).await,
    };
    sent.map(Outcome::AppSent).map_err(failure)
}

/// A library error as the command's failure: the OpenAPI's errors in the exit-code
/// classes of a webhook send's, with hints in the command's terms.
fn failure(err: Error) -> Failure {
    let (class, hint) = match last(&err) {
        Error::InvalidAppRequest { .. }
        | Error::NoAppTemplate { .. }
        | Error::MsgParamTooLarge { .. } => (Class::BadInput, None),
        Error::AppAuthentication { .. } => (
            Class::Rejected,
            Some("check DINGTALK_APP_KEY and DINGTALK_APP_SECRET (or --app-key, --app-secret)"),
        ),
        Error::AppForbidden { .. } => (
            Class::Rejected,
            Some(
                "give the app the robot-sending permission (qyapi_robot_sendmsg), and add the robot to the group",
            ),
        ),
        Error::AppBadParameter { .. } => (
            Class::Rejected,
            Some("check DINGTALK_ROBOT_CODE (or --robot-code), --group and --user"),
        ),
        Error::UsersNotReached { .. } => (
            Class::Rejected,
            Some("the other users got the message; check the user ids named"),
        ),
        Error::AppFlowControlled { .. } => (
            Class::Throttled,
            Some(
                "the app calls the OpenAPI faster than its QPS allows: wait a moment, then send again",
            ),
        ),
        Error::AppApi { .. } if err.is_retryable() => (Class::Transient, None),
        Error::AppApi { .. } => (Class::Rejected, None),
        _ => return Failure::from(err),
    };
    let mut failure = Failure::new(
        class,
        crate::terminal::safe(&err.to_string(), 2048).into_owned(),
    );
    if let Some(hint) = hint {
        failure = failure.hint(hint);
    }
    failure
}

fn last(err: &Error) -> &Error {
    match err {
        Error::RetriesExhausted { attempts } => attempts.last().map_or(err, last),
        _ => err,
    }
}
