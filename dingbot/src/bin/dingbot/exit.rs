//! Exit codes, one per class of failure, and how a failure is reported on stderr.
//!
//! A script tells failures apart by the exit code alone: bad input is fixed by changing
//! the command, a rejection by changing the robot's settings or the message, a transient
//! failure by running the same command again, a throttle by waiting.

// Used in full once `send` and `mock` are built.
#![allow(dead_code)]

use std::fmt;
use std::io::Write;
use std::process::ExitCode;

/// The exit codes, as `--help` shows them (and the README repeats).
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  sent (or, with --dry-run, the payload was printed)
  1  internal error: the command itself failed (please report it)
  2  bad input: a flag, the webhook, the secret or the message is wrong; fix the command
  3  rejected by DingTalk: signature, keywords, IP allow-list, token, content; fix the
     robot's settings or the message, sending it again as it is will fail again
  4  transient: network, timeout, DingTalk busy or not answering JSON; run it again later
  5  throttled: the robot sent more than 20 messages a minute and DingTalk stops it
     for 10 minutes; wait, then send again";

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
}

impl Failure {
    /// A failure of `class`.
    pub fn new(class: Class, message: impl Into<String>) -> Failure {
        Failure {
            class,
            message: message.into(),
            hint: None,
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
