//! What was wrong with a command, and the reply that says so.

use std::fmt;

use super::help;
use super::spec::CommandSpec;
use crate::message::Markdown;

/// A command that could not be parsed: what was wrong, and the reply to send back
/// ([`reply`](Self::reply)), with the usage and a "did you mean" where one is near.
///
/// Asking for `help` (or `帮助`, `?`), or sending the robot nothing but its mention, is
/// an error too, whose [`is_help`](Self::is_help) is true and whose reply lists the
/// commands — unless the enum has a command of that name itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError {
    problem: Problem,
    command: Option<&'static CommandSpec>,
    commands: &'static [CommandSpec],
}

/// What was wrong with a command.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// Nothing but the robot's mention.
    Empty,
    /// `help`, `帮助` or `?`.
    Help,
    /// The first word names no command.
    UnknownCommand {
        /// The word as written.
        given: String,
        /// The command nearest to it, if near enough.
        suggestion: Option<&'static str>,
    },
    /// `--name` names no flag of the command.
    UnknownFlag {
        /// The name as written, without `--`.
        given: String,
        /// The flag nearest to it, if near enough.
        suggestion: Option<&'static str>,
    },
    /// A required argument is missing.
    MissingArgument {
        /// Its name.
        arg: &'static str,
    },
    /// `--name` at the end, without its value.
    MissingValue {
        /// The flag's name.
        arg: &'static str,
    },
    /// A word the command has no place for.
    Unexpected {
        /// The word.
        given: String,
    },
    /// A value its type would not parse.
    Invalid {
        /// The argument's name.
        arg: &'static str,
        /// The value as written.
        given: String,
        /// Why it was refused.
        reason: String,
    },
    /// A flag that takes one value, given twice.
    Repeated {
        /// The flag's name.
        arg: &'static str,
    },
    /// `--switch=value`: a switch takes no value.
    SwitchWithValue {
        /// The switch's name.
        arg: &'static str,
    },
    /// A quote opened and never closed.
    UnclosedQuote {
        /// The opening quote.
        quote: char,
    },
}

impl CommandError {
    pub(super) fn new(problem: Problem) -> CommandError {
        CommandError {
            problem,
            command: None,
            commands: &[],
        }
    }

    pub(super) fn for_command(mut self, command: &'static CommandSpec) -> CommandError {
        self.command = Some(command);
        self
    }

    pub(super) fn within(mut self, commands: &'static [CommandSpec]) -> CommandError {
        self.commands = commands;
        self
    }

    pub(super) fn commands_list(&self) -> &'static [CommandSpec] {
        self.commands
    }

    /// What was wrong.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// The command it concerns, once the first word named one.
    pub fn command(&self) -> Option<&'static CommandSpec> {
        self.command
    }

    /// Whether the person asked for help (or sent nothing but the mention): answer with
    /// [`reply`](Self::reply), which lists the commands, rather than as to a mistake.
    pub fn is_help(&self) -> bool {
        matches!(self.problem, Problem::Help | Problem::Empty)
    }

    /// The markdown reply for the group: what was wrong, "did you mean", and the usage
    /// of the command (or the list of commands). Every word the person wrote is escaped.
    pub fn reply(&self) -> Markdown {
        help::reply(self)
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(command) = self.command {
            write!(f, "{}: ", command.name)?;
        }
        match &self.problem {
            Problem::Empty => f.write_str("no command given"),
            Problem::Help => f.write_str("help asked for"),
            Problem::UnknownCommand { given, suggestion } => {
                write!(f, "unknown command {given:?}")?;
                suggestion.map_or(Ok(()), |s| write!(f, "; did you mean {s}?"))
            }
            Problem::UnknownFlag { given, suggestion } => {
                write!(f, "unknown flag --{given}")?;
                suggestion.map_or(Ok(()), |s| write!(f, "; did you mean --{s}?"))
            }
            Problem::MissingArgument { arg } => write!(f, "{arg} is missing"),
            Problem::MissingValue { arg } => write!(f, "--{arg} needs a value"),
            Problem::Unexpected { given } => write!(f, "unexpected {given:?}"),
            Problem::Invalid { arg, given, reason } => {
                write!(f, "{given:?} is not a valid {arg}: {reason}")
            }
            Problem::Repeated { arg } => write!(f, "--{arg} is given twice"),
            Problem::SwitchWithValue { arg } => write!(f, "--{arg} takes no value"),
            Problem::UnclosedQuote { quote } => write!(f, "a {quote} quote is not closed"),
        }
    }
}

impl std::error::Error for CommandError {}
