//! What became of a notification ([`Outcome`], and so its answer), and how a send that
//! failed is read ([`classify`]).

use dingbot::Error;

/// What became of a notification, and so what Alertmanager is answered.
#[derive(Debug)]
pub enum Outcome {
    /// Every message was accepted by DingTalk: 200.
    Delivered { messages: usize },
    /// Some or all are held for delivery: 200.
    Held { sent: usize, held: usize },
    /// The same notification was taken before: 200.
    Duplicate,
    /// DingTalk failed for a passing reason, or nothing can hold it now: 503.
    Retry { reason: String },
    /// DingTalk refused it for good (the robot's settings, most likely): 500, so that
    /// Alertmanager reports the failure and retries after the settings are fixed.
    Refused { reason: String },
}

impl Outcome {
    /// The `outcome` label.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Delivered { .. } => "delivered",
            Outcome::Held { .. } => "held",
            Outcome::Duplicate => "duplicate",
            Outcome::Retry { .. } => "retry",
            Outcome::Refused { .. } => "refused",
        }
    }
}

/// How a send through the window failed.
pub(super) enum Failure {
    /// The window is full or DingTalk throttles the robot: hold.
    NoSlot { throttled: bool },
    /// Try again later (Alertmanager will).
    Passing(Error),
    /// Sending it again will fail again.
    Final(Error),
}

pub(super) fn classify(err: Error) -> Failure {
    let last = match &err {
        Error::RetriesExhausted { attempts } => attempts.last(),
        other => Some(other),
    };
    if let Some(Error::RateLimited { throttled, .. }) = last {
        return Failure::NoSlot {
            throttled: *throttled,
        };
    }
    if err.is_throttled() {
        return Failure::NoSlot { throttled: true };
    }
    if err.is_retryable() {
        Failure::Passing(err)
    } else {
        Failure::Final(err)
    }
}
