//! Commands people write to a robot that answers: `@robot silence HighLatency 2h`
//! parsed into your own enum by `#[derive(DingCommand)]`, and a reply with the usage
//! when it cannot be.
//!
//! ```
//! use std::time::Duration;
//! use dingbot::DingCommand;
//!
//! #[derive(DingCommand, Debug, PartialEq)]
//! enum Command {
//!     /// Silence an alert for a while
//!     #[ding(alias = "mute")]
//!     Silence {
//!         /// The alert's name
//!         alertname: String,
//!         /// How long, as 2h or 30m
//!         #[ding(default = "1h")]
//!         duration: Duration,
//!         /// Why, for the others in the group
//!         #[ding(flag)]
//!         comment: Option<String>,
//!     },
//!     /// What is firing now
//!     Alerts,
//! }
//!
//! assert_eq!(
//!     Command::parse("@robot silence HighLatency 2h --comment 'disk swap'"),
//!     Ok(Command::Silence {
//!         alertname: "HighLatency".into(),
//!         duration: Duration::from_secs(7200),
//!         comment: Some("disk swap".into()),
//!     })
//! );
//! let wrong = Command::parse("silnce HighLatency").unwrap_err();
//! assert!(wrong.reply().text().contains("Did you mean **silence**?"));
//! ```
//!
//! | file | owns |
//! |---|---|
//! | `spec.rs` | what an enum accepts, as data the derive writes |
//! | `words.rs` | the words of a message: mentions dropped, quotes honoured |
//! | `matched.rs` | words given to arguments, values parsed |
//! | `duration.rs` | durations as people write them |
//! | `suggest.rs` | "did you mean" |
//! | `error.rs` | what was wrong |
//! | `help.rs` | the usage, as the reply |

mod duration;
mod error;
mod help;
mod matched;
mod spec;
mod suggest;
mod words;

pub use duration::parse_duration;
pub use error::{CommandError, Problem};
pub use matched::{Matched, from_str};
pub use spec::{ArgKind, ArgSpec, CommandSpec};

use crate::message::Markdown;

/// A command a person writes to the robot: a sub-command and its arguments.
///
/// Derive it on an enum with `#[derive(DingCommand)]` (feature `derive`): each variant
/// is a sub-command named in kebab-case (`#[ding(rename = "...")]`, `#[ding(alias =
/// "...")]`), each named field an argument, by place or, with `#[ding(flag)]`, as
/// `--name value` (a `bool` is a switch, `--name`). `Option` fields may be left out,
/// `Vec` fields take the rest, `#[ding(default = "...")]` fills a missing one. Values
/// are parsed with [`FromStr`](std::str::FromStr), a `Duration` with
/// [`parse_duration`], or by `#[ding(with = path)]`, a `fn(&str) -> Result<T, E>`.
/// Doc comments (or `#[ding(about = "...")]`) become the usage.
pub trait DingCommand: Sized {
    /// The sub-commands, in the order of the variants.
    fn commands() -> &'static [CommandSpec];

    /// The value for sub-command `index` of [`commands`](Self::commands), from its
    /// matched words. Written by the derive.
    #[doc(hidden)]
    fn from_matched(index: usize, matched: &Matched) -> Result<Self, CommandError>;

    /// Parses what a person wrote: leading @-mentions dropped, the sub-command matched
    /// by name or alias in any case, its arguments given and parsed.
    fn parse(text: &str) -> Result<Self, CommandError> {
        let commands = Self::commands();
        let words = words::words(text).map_err(|e| e.within(commands))?;
        let Some((first, rest)) = words.split_first() else {
            return Err(CommandError::new(Problem::Empty).within(commands));
        };
        let Some(index) = commands.iter().position(|c| c.is_named(first)) else {
            let problem = if matches!(first.to_lowercase().as_str(), "help" | "帮助" | "?" | "？")
            {
                Problem::Help
            } else {
                let names = commands
                    .iter()
                    .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()));
                Problem::UnknownCommand {
                    given: first.clone(),
                    suggestion: suggest::closest(first, names),
                }
            };
            return Err(CommandError::new(problem).within(commands));
        };
        let matched = Matched::new(&commands[index], rest).map_err(|e| e.within(commands))?;
        let command = Self::from_matched(index, &matched).map_err(|e| e.within(commands))?;
        match matched.unexpected() {
            Some(e) => Err(e.within(commands)),
            None => Ok(command),
        }
    }

    /// Every command with its arguments and what it does, as a reply.
    fn help() -> Markdown {
        help::commands_help(Self::commands())
    }
}
