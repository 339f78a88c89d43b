//! The usage of commands, as markdown a group reads: the reply to `help` and to a
//! command that could not be parsed.

use super::error::{CommandError, Problem};
use super::spec::{ArgKind, ArgSpec, CommandSpec};
use crate::markdown::{Inline, Writer};
use crate::message::Markdown;

/// Every command with its arguments and what it does, one item each.
pub(super) fn commands_help(commands: &[CommandSpec]) -> Markdown {
    let body = Writer::new()
        .heading(4, "Commands")
        .list(commands.iter().map(command_line))
        .finish();
    Markdown::new("Commands", body)
}

/// `**silence** *alertname* *duration* [--comment *text*] — Silence an alert (also: mute)`.
fn command_line(command: &CommandSpec) -> Inline {
    let mut line = usage(command);
    if !command.about.is_empty() {
        line = line + " — " + command.about;
    }
    if !command.aliases.is_empty() {
        line = line + " (also: " + command.aliases.join(", ").as_str() + ")";
    }
    line
}

/// The command's name in bold and its arguments: positional ones in italics, optional
/// ones in brackets, flags with `--`.
fn usage(command: &CommandSpec) -> Inline {
    let mut line = Inline::bold(command.name);
    for arg in command.args {
        line = line + " " + arg_usage(arg);
    }
    line
}

fn arg_usage(arg: &ArgSpec) -> Inline {
    let value = match arg.kind {
        ArgKind::Positional => Inline::italic(arg.name),
        ArgKind::Flag => Inline::text(&format!("--{} ", arg.name)) + Inline::italic("value"),
        ArgKind::Switch => Inline::text(&format!("--{}", arg.name)),
    };
    let value = if arg.many { value + "…" } else { value };
    if arg.required {
        value
    } else {
        Inline::text("[") + value + "]"
    }
}

pub(super) fn reply(error: &CommandError) -> Markdown {
    let commands = error.commands_list();
    if error.is_help() {
        return commands_help(commands);
    }
    let mut writer = Writer::new();
    let title;
    match (error.problem(), error.command()) {
        (Problem::UnknownCommand { given, suggestion }, _) => {
            title = "Unknown command".to_owned();
            writer = writer.heading(4, Inline::text("Unknown command: ") + Inline::bold(given));
            if let Some(s) = suggestion {
                writer = writer.paragraph(Inline::text("Did you mean ") + Inline::bold(*s) + "?");
            }
            writer = writer
                .paragraph(Inline::bold("Commands"))
                .list(commands.iter().map(command_line));
        }
        (_, Some(command)) => {
            title = format!("{}: usage", command.name);
            writer = writer
                .heading(4, problem_line(error))
                .paragraph(Inline::text("Usage: ") + usage(command));
            let described: Vec<Inline> = command
                .args
                .iter()
                .filter(|a| !a.about.is_empty() || a.default.is_some())
                .map(|a| {
                    let mut line = arg_usage(a) + ": " + a.about;
                    if let Some(default) = a.default {
                        line = line + " (default " + default + ")";
                    }
                    line
                })
                .collect();
            if !described.is_empty() {
                writer = writer.list(described);
            }
        }
        (_, None) => {
            title = "Usage".to_owned();
            writer = writer
                .heading(4, problem_line(error))
                .paragraph(Inline::bold("Commands"))
                .list(commands.iter().map(command_line));
        }
    }
    Markdown::new(title, writer.finish())
}

fn problem_line(error: &CommandError) -> Inline {
    Inline::text(&error.to_string())
}
