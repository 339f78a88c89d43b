//! [`Verdict`]: how the robot would answer a payload, judged without posting it.

/// How the emulated robot would answer a message payload on its content alone, from
/// [`MockServer::check`](super::MockServer::check): DingTalk's `errcode` and `errmsg`
/// (in the emulator's [`ErrmsgStyle`](super::ErrmsgStyle)), and the reason in plain
/// words for a rejection.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verdict {
    /// `0` when the robot would post the message, DingTalk's code otherwise.
    pub errcode: i64,
    /// DingTalk's `errmsg`: `ok`, or the text it answers for the rejection.
    pub errmsg: String,
    /// What is wrong and what to do, in plain words, for a rejection; `None` when the
    /// message would be posted.
    pub reason: Option<String>,
}

impl Verdict {
    /// Whether the robot would post the message.
    pub fn is_accepted(&self) -> bool {
        self.errcode == 0
    }
}
