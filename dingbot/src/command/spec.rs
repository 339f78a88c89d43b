//! What a command enum accepts, as data: written by `#[derive(DingCommand)]`, read by
//! the parser and by the usage a wrong command is answered with.

/// One sub-command: a variant of a `#[derive(DingCommand)]` enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandSpec {
    /// Its name, as written after the robot's mention (`silence`).
    pub name: &'static str,
    /// Other names that run it.
    pub aliases: &'static [&'static str],
    /// What it does: its `about`, else the first line of its doc comment.
    pub about: &'static str,
    /// Its arguments, in the order of its fields.
    pub args: &'static [ArgSpec],
}

/// One argument: a field of a variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArgSpec {
    /// Its name: a positional argument's in the usage, a flag's after `--`.
    pub name: &'static str,
    /// What it is: its `about`, else the first line of its doc comment.
    pub about: &'static str,
    /// How it is given.
    pub kind: ArgKind,
    /// Whether it must be given (not an `Option`, a `Vec`, a switch, nor with a default).
    pub required: bool,
    /// Whether it takes many values (a `Vec`): the rest of the words for a positional
    /// argument, every `--name value` for a flag.
    pub many: bool,
    /// The value used when it is not given (`#[ding(default = "...")]`).
    pub default: Option<&'static str>,
}

/// How an argument is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// By its place: `silence HighLatency 2h`.
    Positional,
    /// By name, with a value: `--comment "disk swap"` or `--comment=swap`.
    Flag,
    /// By name alone, for a `bool`: `--all`.
    Switch,
}

impl CommandSpec {
    /// Whether `word` names this command (its name or an alias, any case).
    pub fn is_named(&self, word: &str) -> bool {
        self.name.eq_ignore_ascii_case(word)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(word))
    }
}
