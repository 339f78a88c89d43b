//! Words matched to a command's arguments, and their values parsed.

use std::fmt::Display;
use std::str::FromStr;

use super::error::{CommandError, Problem};
use super::spec::{ArgKind, ArgSpec, CommandSpec};

/// The words of one command, each given to the argument it belongs to. Made by
/// [`DingCommand::parse`](super::DingCommand::parse); the derive reads the values from it.
#[derive(Debug)]
pub struct Matched {
    command: &'static CommandSpec,
    /// The words given for each argument, by the argument's index.
    values: Vec<Vec<String>>,
    /// The first word the command had no place for: reported once the values parsed,
    /// so that `2 hours` is answered about the `2`.
    extra: Option<String>,
}

impl Matched {
    /// Gives the words after the command's name to its arguments: `--name value`,
    /// `--name=value` and `--switch` by name, the rest by place (after `--`, every word
    /// by place). Checks that each required argument is there.
    pub(super) fn new(
        command: &'static CommandSpec,
        words: &[String],
    ) -> Result<Matched, CommandError> {
        let fail = |problem| Err(CommandError::new(problem).for_command(command));
        let args = command.args;
        let mut values: Vec<Vec<String>> = vec![Vec::new(); args.len()];
        let positional: Vec<usize> = (0..args.len())
            .filter(|&i| args[i].kind == ArgKind::Positional)
            .collect();
        let mut next_place = 0;
        let mut only_places = false;
        let mut extra = None;
        let mut words = words.iter();
        while let Some(word) = words.next() {
            if !only_places && word == "--" {
                only_places = true;
                continue;
            }
            if let Some(flag) = word
                .strip_prefix("--")
                .filter(|f| !only_places && !f.is_empty())
            {
                let (name, inline) = match flag.split_once('=') {
                    Some((name, value)) => (name, Some(value)),
                    None => (flag, None),
                };
                let named = |a: &&ArgSpec| {
                    a.kind != ArgKind::Positional && a.name.eq_ignore_ascii_case(name)
                };
                let Some(i) = args.iter().position(|a| named(&a)) else {
                    let flags = args
                        .iter()
                        .filter(|a| a.kind != ArgKind::Positional)
                        .map(|a| a.name);
                    return fail(Problem::UnknownFlag {
                        given: name.to_owned(),
                        suggestion: super::suggest::closest(name, flags),
                    });
                };
                let arg = &args[i];
                if !arg.many && !values[i].is_empty() {
                    return fail(Problem::Repeated { arg: arg.name });
                }
                match arg.kind {
                    ArgKind::Switch => {
                        if inline.is_some() {
                            return fail(Problem::SwitchWithValue { arg: arg.name });
                        }
                        values[i].push(String::new());
                    }
                    _ => match inline.map(str::to_owned).or_else(|| words.next().cloned()) {
                        Some(value) => values[i].push(value),
                        None => return fail(Problem::MissingValue { arg: arg.name }),
                    },
                }
                continue;
            }
            let Some(&i) = positional.get(next_place) else {
                extra.get_or_insert_with(|| word.clone());
                continue;
            };
            values[i].push(word.clone());
            if !args[i].many {
                next_place += 1;
            }
        }
        if let Some(missing) = args
            .iter()
            .zip(&values)
            .find(|(a, v)| a.required && v.is_empty())
        {
            return fail(Problem::MissingArgument {
                arg: missing.0.name,
            });
        }
        Ok(Matched {
            command,
            values,
            extra,
        })
    }

    /// The error for a word the command had no place for, if there was one.
    pub(super) fn unexpected(&self) -> Option<CommandError> {
        let given = self.extra.clone()?;
        Some(CommandError::new(Problem::Unexpected { given }).for_command(self.command))
    }

    /// The value of argument `i`, required (or its default), parsed by `parse`.
    pub fn one<T>(
        &self,
        i: usize,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, CommandError> {
        match self.opt(i, &parse)? {
            Some(value) => Ok(value),
            None => {
                let arg = &self.command.args[i];
                let default = arg.default.ok_or_else(|| {
                    CommandError::new(Problem::MissingArgument { arg: arg.name })
                        .for_command(self.command)
                })?;
                self.parsed(arg, default, &parse)
            }
        }
    }

    /// The value of argument `i`, if given, parsed by `parse`.
    pub fn opt<T>(
        &self,
        i: usize,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, CommandError> {
        let arg = &self.command.args[i];
        match self.values.get(i).and_then(|v| v.first()) {
            Some(word) => self.parsed(arg, word, &parse).map(Some),
            None => Ok(None),
        }
    }

    /// Every value of argument `i`, parsed by `parse`.
    pub fn many<T>(
        &self,
        i: usize,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Vec<T>, CommandError> {
        let arg = &self.command.args[i];
        self.values
            .get(i)
            .into_iter()
            .flatten()
            .map(|word| self.parsed(arg, word, &parse))
            .collect()
    }

    /// Whether switch `i` was given.
    pub fn switch(&self, i: usize) -> bool {
        self.values.get(i).is_some_and(|v| !v.is_empty())
    }

    fn parsed<T>(
        &self,
        arg: &ArgSpec,
        word: &str,
        parse: &impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, CommandError> {
        parse(word).map_err(|reason| {
            CommandError::new(Problem::Invalid {
                arg: arg.name,
                given: word.to_owned(),
                reason,
            })
            .for_command(self.command)
        })
    }
}

/// Parses a value with its type's [`FromStr`]; the derive's parser for every type but
/// `Duration`.
pub fn from_str<T>(word: &str) -> Result<T, String>
where
    T: FromStr,
    T::Err: Display,
{
    word.parse::<T>().map_err(|e| e.to_string())
}
