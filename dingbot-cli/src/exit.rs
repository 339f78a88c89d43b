//! Exit codes, one per class of failure, and how a failure is reported on stderr.
//!
//! A script tells failures apart by the exit code alone: bad input is fixed by changing
//! the command, a rejection by changing the robot's settings or the message, a transient
//! failure by running the same command again, a throttle by waiting.

use std::fmt;
use std::io::Write;
use std::process::ExitCode;

use dingbot::Error;

use crate::terminal::safe;

/// The exit codes, as `--help` shows them (and the README repeats).
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success: sent (with --dry-run: printed); dingbot mock: stopped by Ctrl-C or SIGTERM
  1  internal error: the command itself failed (please report it)
  2  bad input: a flag, the webhook, the secret or the message is wrong; fix the command
  3  rejected by DingTalk: signature, keywords, IP allow-list, token, content; fix the
     robot's settings or the message, sending it again as it is will fail again
  4  transient: network, timeout, DingTalk busy or not answering JSON; run it again later
  5  throttled: the robot sent more than 20 messages a minute and DingTalk stops it
     for 10 minutes; wait, then send again";

/// `examples` followed by the exit codes, for a subcommand's `--help`.
pub fn with_exit_codes(examples: &str) -> String {
    format!("{examples}\n\n{EXIT_CODES_HELP}")
}

/// A class of failure; each has its own exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// The command itself failed.
    Internal,
    /// The command line, the webhook, the secret or the message is wrong.
    BadInput,
    /// DingTalk answered with an error that sending again will not fix.
    Rejected,
    /// The network or DingTalk failed in a way that may pass.
    Transient,
    /// The robot is throttled.
    Throttled,
}

impl Class {
    /// The process exit code of this class.
    pub fn code(self) -> u8 {
        match self {
            Class::Internal => 1,
            Class::BadInput => 2,
            Class::Rejected => 3,
            Class::Transient => 4,
            Class::Throttled => 5,
        }
    }

    /// A short name, as `--json` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Class::Internal => "internal",
            Class::BadInput => "bad_input",
            Class::Rejected => "rejected",
            Class::Transient => "transient",
            Class::Throttled => "throttled",
        }
    }
}

/// Why the command failed: what happened, and what to do about it.
#[derive(Debug)]
pub struct Failure {
    /// Which exit code.
    pub class: Class,
    /// What happened.
    pub message: String,
    /// What to do, when there is something to say.
    pub hint: Option<String>,
    /// DingTalk's errcode, when DingTalk answered one.
    pub errcode: Option<i64>,
}

impl Failure {
    /// A failure of `class`.
    pub fn new(class: Class, message: impl Into<String>) -> Failure {
        Failure {
            class,
            message: message.into(),
            hint: None,
            errcode: None,
        }
    }

    /// The command line or its input is wrong.
    pub fn bad_input(message: impl Into<String>) -> Failure {
        Failure::new(Class::BadInput, message)
    }

    /// The command itself failed.
    pub fn internal(message: impl Into<String>) -> Failure {
        Failure::new(Class::Internal, message)
    }

    /// Adds what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hint = Some(hint.into());
        self
    }
}

/// The longest error message printed for a library error. DingTalk's `errmsg` is a
/// sentence or two; what a broken or hostile endpoint answers may be megabytes, or
/// terminal escape sequences.
const MAX_ERROR: usize = 2048;

impl From<Error> for Failure {
    /// The error's message quotes what DingTalk (or whatever answered) said: it is made
    /// safe to print and cut to [`MAX_ERROR`] bytes, for stderr and `--json` alike.
    fn from(err: Error) -> Failure {
        let class = class_of(&err);
        let hint = hint_of(&err);
        Failure {
            class,
            message: safe(&err.to_string(), MAX_ERROR).into_owned(),
            hint: hint.map(str::to_owned),
            errcode: err.errcode(),
        }
    }
}

/// The class of a library error: what the user must do about it.
fn class_of(err: &Error) -> Class {
    match err {
        Error::RetriesExhausted { attempts } => attempts.last().map_or(Class::Transient, class_of),
        _ if err.is_throttled() => Class::Throttled,
        Error::RateLimited { .. } => Class::Throttled,
        Error::InvalidWebhook { .. }
        | Error::InvalidSecret { .. }
        | Error::InvalidMessage { .. }
        | Error::MessageTooLarge { .. }
        | Error::InvalidKeywords { .. }
        | Error::MissingEnv { .. } => Class::BadInput,
        Error::Timeout
        | Error::Transport { .. }
        | Error::InvalidResponse { .. }
        | Error::SystemBusy { .. } => Class::Transient,
        Error::HttpStatus { .. } if err.is_retryable() => Class::Transient,
        Error::HttpStatus { .. } => Class::Rejected,
        _ if err.errcode().is_some() => Class::Rejected,
        _ => Class::Internal,
    }
}

/// What to do about a library error, in the command's terms (flags and variables).
fn hint_of(err: &Error) -> Option<&'static str> {
    Some(match err {
        Error::RetriesExhausted { attempts } => return attempts.last().and_then(hint_of),
        Error::InvalidWebhook { .. } => {
            "pass --webhook or set DINGTALK_WEBHOOK to the robot's webhook URL (or its access token)"
        }
        Error::InvalidSecret { .. } => {
            "check DINGTALK_SECRET (or --secret): the robot's signing secret starts with SEC"
        }
        Error::MessageTooLarge { .. } | Error::BodyTooLarge { .. } => {
            "shorten the message, or split it into several"
        }
        Error::SignatureMismatch { .. } => {
            "check DINGTALK_SECRET (or --secret): it must be this robot's signing secret"
        }
        Error::InvalidTimestamp { .. } => {
            "check this machine's clock, and DINGTALK_SECRET if the robot is not signed"
        }
        Error::KeywordsMissing { .. } => "the message must contain one of the robot's keywords",
        Error::IpNotAllowed { .. } => {
            "send from an address on the robot's IP allow-list, or add this one to it"
        }
        Error::SecurityCheckFailed { .. } => {
            "check the robot's security settings: secret (DINGTALK_SECRET), keywords, IP allow-list"
        }
        Error::TokenNotFound { .. } => {
            "check DINGTALK_WEBHOOK (or --webhook): the access token is not a robot's"
        }
        Error::RobotDisabled { .. } | Error::GroupDissolved { .. } => {
            "this robot can no longer post: add a robot to the group and use its webhook"
        }
        Error::UnsafeContent { .. } => "remove the link, text or image DingTalk judged unsafe",
        Error::SendTooFast { .. } | Error::RateLimited { .. } => {
            "the robot is throttled for 10 minutes after 20 messages a minute: wait, then send again"
        }
        Error::Timeout | Error::Transport { .. } | Error::SystemBusy { .. } => {
            "a temporary failure: run the same command again later; to lower the chance of \
             a second post if the first one did arrive, re-run with the same --msg-uuid"
        }
        Error::HttpStatus { .. } | Error::InvalidResponse { .. } if err.is_retryable() => {
            "DingTalk, or a gateway before it, is failing: run the same command again later, \
             with the same --msg-uuid to lower the chance of a second post (and check that \
             DINGTALK_WEBHOOK is DingTalk's robot endpoint)"
        }
        Error::HttpStatus { .. } => {
            "check that DINGTALK_WEBHOOK is DingTalk's robot endpoint; if it is, try again later"
        }
        _ => return None,
    })
}

/// Whether DingTalk refused the request's signature (missing, stale or wrong): for a
/// request sent unsigned, the robot signs and the secret is missing.
pub fn is_signature_rejection(err: &Error) -> bool {
    match err {
        Error::RetriesExhausted { attempts } => attempts.last().is_some_and(is_signature_rejection),
        Error::InvalidTimestamp { .. } | Error::SignatureMismatch { .. } => true,
        _ => false,
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Prints `failure` on stderr as `dingbot: error: ...` and returns its exit code.
pub fn report(failure: &Failure) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "dingbot: error: {failure}");
    ExitCode::from(failure.class.code())
}
