//! The scripts' protocol: the keys and arguments each Lua script takes, and what its
//! replies mean. Nothing here waits or decides; [`super::Fleet`] does.

use std::sync::OnceLock;
use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::{RedisError, Script, Value};

use crate::dingtalk::THROTTLE;
use crate::dingtalk::errcode::SEND_TOO_FAST;

/// The scripts, hashed once per process.
struct Scripts {
    acquire: Script,
    settle: Script,
    throttle: Script,
}

fn scripts() -> &'static Scripts {
    static SCRIPTS: OnceLock<Scripts> = OnceLock::new();
    SCRIPTS.get_or_init(|| Scripts {
        acquire: Script::new(include_str!("acquire.lua")),
        settle: Script::new(include_str!("settle.lua")),
        throttle: Script::new(include_str!("throttle.lua")),
    })
}

/// One robot's three keys, under one hash tag (one Redis Cluster slot), named by `key`,
/// a hash of its access token. (The names hold no secret: they may be logged.)
pub(super) struct Keys {
    sends: String,
    throttle: String,
    robot: String,
}

impl Keys {
    pub(super) fn new(key: &str) -> Keys {
        let tag = format!("dingbot:{{{key}}}");
        Keys {
            sends: format!("{tag}:sends"),
            throttle: format!("{tag}:throttle"),
            robot: format!("{tag}:robot"),
        }
    }
}

/// What one acquire asks for.
pub(super) struct Ask<'a> {
    /// The window's rate: `limit` sends per `window` (margin included).
    pub(super) limit: u32,
    pub(super) window: Duration,
    /// How long after now the send's answer may arrive at the latest.
    pub(super) in_flight: Duration,
    /// The send's name in the window.
    pub(super) member: &'a str,
    /// Sends of this process answered since it last told Redis: scored at their answer.
    pub(super) answered: &'a [String],
}

/// What the acquire script answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Answer {
    /// The slot is taken; `free` more were free besides it.
    Granted { free: usize },
    /// DingTalk throttles the robot for this long yet.
    Throttled(Duration),
    /// The window is full until then; `all_in_flight`: every slot is held by a send
    /// whose answer has not arrived (whose score will move).
    Full { wait: Duration, all_in_flight: bool },
    /// The window holds sends counted at another rate.
    OtherRate { limit: u64, window: Duration },
    /// Redis' record of the robot may be incomplete: no slot for this long.
    Fenced(Duration),
}

/// An [`Answer`], and what the script found impossible in the robot's keys and
/// repaired first (each in words, naming the key; usually none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Reply {
    pub(super) answer: Answer,
    pub(super) repairs: Vec<String>,
}

/// Why an acquire has no [`Answer`].
#[derive(Debug)]
pub(super) enum Failed {
    /// Redis could not be asked, or the script failed.
    Redis(RedisError),
    /// The script answered something this version does not know (shown, truncated).
    NotUnderstood(String),
}

impl From<RedisError> for Failed {
    fn from(err: RedisError) -> Failed {
        Failed::Redis(err)
    }
}

/// Takes a slot in the window (or learns when one frees), carrying the settled sends;
/// repairs what cannot be true in the robot's keys on the way.
pub(super) async fn acquire(
    connection: &mut ConnectionManager,
    keys: &Keys,
    ask: &Ask<'_>,
) -> Result<Reply, Failed> {
    let reply: Value = scripts()
        .acquire
        .key(&keys.sends)
        .key(&keys.throttle)
        .key(&keys.robot)
        .arg(ask.limit)
        .arg(millis(ask.window))
        .arg(millis(ask.in_flight))
        .arg(ask.member)
        .arg(millis(THROTTLE))
        .arg(ask.answered)
        .invoke_async(connection)
        .await?;
    Reply::read(&reply).ok_or_else(|| Failed::NotUnderstood(shown(&reply)))
}

/// Scores `answered` sends at their answer (Redis' time now).
pub(super) async fn settle(
    connection: &mut ConnectionManager,
    keys: &Keys,
    answered: &[String],
) -> Result<(), RedisError> {
    scripts()
        .settle
        .key(&keys.sends)
        .arg(answered)
        .invoke_async(connection)
        .await
}

/// Sets the throttle flag for `duration` (kept if a longer one is set).
pub(super) async fn throttle(
    connection: &mut ConnectionManager,
    keys: &Keys,
    duration: Duration,
) -> Result<(), RedisError> {
    scripts()
        .throttle
        .key(&keys.throttle)
        .arg(millis(duration).max(1))
        .arg(SEND_TOO_FAST)
        .invoke_async(connection)
        .await
}

impl Reply {
    /// The acquire script's reply (see `acquire.lua`): the repairs, then the answer's
    /// numbers; `None` when it is not one this version knows (no list of repairs,
    /// another code, the wrong number of values).
    fn read(reply: &Value) -> Option<Reply> {
        let Value::Array(items) = reply else {
            return None;
        };
        let (Value::Array(repairs), numbers) = items.split_first()? else {
            return None;
        };
        let repairs = repairs
            .iter()
            .map(|v| match v {
                Value::BulkString(text) => Some(String::from_utf8_lossy(text).into_owned()),
                Value::SimpleString(text) => Some(text.clone()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let answer = Answer::read(numbers)?;
        Some(Reply { answer, repairs })
    }
}

impl Answer {
    /// The answer's numbers, or `None` when they are not an answer this version knows.
    fn read(items: &[Value]) -> Option<Answer> {
        let numbers: Vec<i64> = items
            .iter()
            .map(|v| match v {
                Value::Int(n) => Some(*n),
                _ => None,
            })
            .collect::<Option<_>>()?;
        Answer::from_numbers(&numbers)
    }

    fn from_numbers(reply: &[i64]) -> Option<Answer> {
        // Counts and times are never negative; one that is would be a clock oddity,
        // read as zero rather than refused.
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        let ms = |v: i64| Duration::from_millis(n(v));
        Some(match *reply {
            [0, free] => Answer::Granted {
                free: usize::try_from(n(free)).unwrap_or(usize::MAX),
            },
            [1, wait] => Answer::Throttled(ms(wait)),
            [2, wait, all_in_flight @ (0 | 1)] => Answer::Full {
                wait: ms(wait),
                all_in_flight: all_in_flight == 1,
            },
            [3, limit, window] => Answer::OtherRate {
                limit: n(limit),
                window: ms(window),
            },
            [4, wait] => Answer::Fenced(ms(wait)),
            _ => return None,
        })
    }
}

/// A reply as shown in an error: numbers as `[9, 100]`, anything else as redis-rs
/// shows it, at most 120 characters.
fn shown(reply: &Value) -> String {
    let text = match reply {
        Value::Array(items) if items.iter().all(|v| matches!(v, Value::Int(_))) => {
            let numbers: Vec<String> = items
                .iter()
                .filter_map(|v| match v {
                    Value::Int(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect();
            format!("[{}]", numbers.join(", "))
        }
        other => format!("{other:?}"),
    };
    match text.char_indices().nth(120) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

pub(super) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(values: &[i64]) -> Value {
        Value::Array(values.iter().map(|&n| Value::Int(n)).collect())
    }

    /// A reply with no repairs and these numbers.
    fn reply(values: &[i64]) -> Value {
        let mut items = vec![Value::Array(vec![])];
        items.extend(values.iter().map(|&n| Value::Int(n)));
        Value::Array(items)
    }

    #[test]
    fn every_known_reply_is_read() {
        let ms = Duration::from_millis;
        let read = |values: &[i64]| {
            let read = Reply::read(&reply(values))?;
            assert!(read.repairs.is_empty());
            Some(read.answer)
        };
        assert_eq!(read(&[0, 7]), Some(Answer::Granted { free: 7 }));
        assert_eq!(read(&[1, 600_000]), Some(Answer::Throttled(ms(600_000))));
        assert_eq!(
            read(&[2, 1500, 1]),
            Some(Answer::Full {
                wait: ms(1500),
                all_in_flight: true
            })
        );
        assert_eq!(
            read(&[2, 1500, 0]),
            Some(Answer::Full {
                wait: ms(1500),
                all_in_flight: false
            })
        );
        assert_eq!(
            read(&[3, 20, 62_000]),
            Some(Answer::OtherRate {
                limit: 20,
                window: ms(62_000)
            })
        );
        assert_eq!(read(&[4, 62_000]), Some(Answer::Fenced(ms(62_000))));
        let repaired = Value::Array(vec![
            Value::Array(vec![Value::BulkString(
                b"dingbot:{k}:sends held a string".to_vec(),
            )]),
            Value::Int(0),
            Value::Int(3),
        ]);
        assert_eq!(
            Reply::read(&repaired),
            Some(Reply {
                answer: Answer::Granted { free: 3 },
                repairs: vec!["dingbot:{k}:sends held a string".to_owned()],
            })
        );
    }

    #[test]
    fn an_unknown_reply_is_not_read_as_a_full_window() {
        for values in [
            &[][..],
            &[5, 100],
            &[-1, 100],
            &[0],
            &[0, 1, 1],
            &[2, 100],
            &[2, 100, 2],
            &[1, 100, 0],
            &[4],
        ] {
            assert_eq!(Reply::read(&reply(values)), None, "{values:?}");
        }
        // The script's replies before repairs were reported are not read either.
        assert_eq!(Reply::read(&ints(&[0, 7])), None);
        let mixed = Value::Array(vec![
            Value::Array(vec![]),
            Value::Int(0),
            Value::BulkString(b"7".to_vec()),
        ]);
        assert_eq!(Reply::read(&mixed), None);
        let repairs = Value::Array(vec![Value::Int(1), Value::Int(0), Value::Int(7)]);
        assert_eq!(Reply::read(&repairs), None);
        assert_eq!(Reply::read(&Value::Int(0)), None);
        assert_eq!(Reply::read(&Value::Nil), None);
        assert_eq!(shown(&ints(&[9, 100])), "[9, 100]");
        let long = Value::BulkString(vec![b'x'; 1000]);
        assert!(shown(&long).chars().count() <= 121, "{}", shown(&long));
    }
}
