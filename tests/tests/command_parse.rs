//! `#[derive(DingCommand)]`: what people write to the robot, parsed into an enum — the
//! table of what is accepted, and the replies to what is not.

use std::net::IpAddr;
use std::time::Duration;

use dingbot::command::{ArgKind, Problem};
use dingbot::{CommandError, DingCommand};

/// The commands of an alerting robot.
#[derive(DingCommand, Debug, PartialEq)]
enum Ops {
    /// Silence an alert for a while
    #[ding(alias = "mute", alias = "静音")]
    Silence {
        /// The alert's name, or matchers as name=value
        alertname: String,
        /// How long, as 2h or 30m
        #[ding(default = "1h")]
        duration: Duration,
        /// Why, for the others in the group
        #[ding(flag)]
        comment: Option<String>,
    },
    /// Lift a silence
    Unsilence {
        id: String,
    },
    /// What is firing now
    Alerts {
        /// Include silenced alerts
        all: bool,
        #[ding(flag, rename = "severity")]
        severities: Vec<String>,
    },
    /// Block addresses
    #[ding(rename = "block-ip")]
    BlockIp {
        #[ding(flag, with = parse_minutes)]
        minutes: Option<u64>,
        addresses: Vec<IpAddr>,
    },
    /// Scale a deployment
    ScaleUp {
        deployment: String,
        replicas: Option<u8>,
    },
    Ping,
}

fn parse_minutes(word: &str) -> Result<u64, std::num::ParseIntError> {
    word.trim_end_matches("min").parse()
}

fn silence(name: &str, secs: u64, comment: Option<&str>) -> Ops {
    Ops::Silence {
        alertname: name.to_owned(),
        duration: Duration::from_secs(secs),
        comment: comment.map(str::to_owned),
    }
}

#[test]
fn what_people_write_is_parsed() {
    let ok = |text: &str| Ops::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    let table: Vec<(&str, Ops)> = vec![
        (
            "@robot silence HighLatency 2h",
            silence("HighLatency", 7200, None),
        ),
        ("silence HighLatency", silence("HighLatency", 3600, None)),
        (
            "  SILENCE   HighLatency 90m  ",
            silence("HighLatency", 5400, None),
        ),
        (
            "/silence HighLatency 1h30m",
            silence("HighLatency", 5400, None),
        ),
        (
            "@机器人 mute HighLatency 2小时",
            silence("HighLatency", 7200, None),
        ),
        ("静音 HighLatency 1d", silence("HighLatency", 86_400, None)),
        (
            "silence 'job=\"api\" env=prod' 30m --comment \"disk swap\"",
            silence("job=\"api\" env=prod", 1800, Some("disk swap")),
        ),
        (
            "silence HighLatency --comment=swap 2h",
            silence("HighLatency", 7200, Some("swap")),
        ),
        (
            "silence “高延迟 告警” 2h",
            silence("高延迟 告警", 7200, None),
        ),
        ("silence -- --weird 2h", silence("--weird", 7200, None)),
        (
            "unsilence 6f1b-22",
            Ops::Unsilence {
                id: "6f1b-22".into(),
            },
        ),
        (
            "alerts",
            Ops::Alerts {
                all: false,
                severities: vec![],
            },
        ),
        (
            "alerts --all --severity critical --SEVERITY warning",
            Ops::Alerts {
                all: true,
                severities: vec!["critical".into(), "warning".into()],
            },
        ),
        (
            "block-ip 10.0.0.1 ::1 --minutes 30min",
            Ops::BlockIp {
                minutes: Some(30),
                addresses: vec!["10.0.0.1".parse().unwrap(), "::1".parse().unwrap()],
            },
        ),
        (
            "block-ip",
            Ops::BlockIp {
                minutes: None,
                addresses: vec![],
            },
        ),
        (
            "scale-up api",
            Ops::ScaleUp {
                deployment: "api".into(),
                replicas: None,
            },
        ),
        (
            "scale-up api 3",
            Ops::ScaleUp {
                deployment: "api".into(),
                replicas: Some(3),
            },
        ),
        ("ping", Ops::Ping),
    ];
    for (text, expected) in table {
        assert_eq!(ok(text), expected, "{text:?}");
    }
}

#[test]
fn mistakes_get_a_reply_with_the_usage() {
    let err = |text: &str| Ops::parse(text).expect_err(text);
    let cases: Vec<(&str, Problem)> = vec![
        (
            "silnce HighLatency 2h",
            Problem::UnknownCommand {
                given: "silnce".into(),
                suggestion: Some("silence"),
            },
        ),
        (
            "deploy api",
            Problem::UnknownCommand {
                given: "deploy".into(),
                suggestion: None,
            },
        ),
        ("silence", Problem::MissingArgument { arg: "alertname" }),
        ("unsilence", Problem::MissingArgument { arg: "id" }),
        (
            "silence HighLatency 2 hours",
            Problem::Invalid {
                arg: "duration",
                given: "2".into(),
                reason: "\"2\" has no unit: write 2h, 30m or 45s".into(),
            },
        ),
        (
            "silence HighLatency 2h extra",
            Problem::Unexpected {
                given: "extra".into(),
            },
        ),
        (
            "silence HighLatency --coment x",
            Problem::UnknownFlag {
                given: "coment".into(),
                suggestion: Some("comment"),
            },
        ),
        (
            "silence HighLatency --comment",
            Problem::MissingValue { arg: "comment" },
        ),
        (
            "silence HighLatency --comment a --comment b",
            Problem::Repeated { arg: "comment" },
        ),
        ("alerts --all=yes", Problem::SwitchWithValue { arg: "all" }),
        (
            "scale-up api 300",
            Problem::Invalid {
                arg: "replicas",
                given: "300".into(),
                reason: "number too large to fit in target type".into(),
            },
        ),
        (
            "block-ip 10.0.0.999",
            Problem::Invalid {
                arg: "addresses",
                given: "10.0.0.999".into(),
                reason: "invalid IP address syntax".into(),
            },
        ),
        (
            "silence \"HighLatency 2h",
            Problem::UnclosedQuote { quote: '"' },
        ),
        ("help", Problem::Help),
        ("@robot", Problem::Empty),
        ("", Problem::Empty),
    ];
    for (text, problem) in cases {
        let e = err(text);
        assert_eq!(e.problem(), &problem, "{text:?}");
        assert!(!e.reply().text().is_empty());
    }
    assert!(err("帮助").is_help() && err("?").is_help() && !err("silence").is_help());
}

#[test]
fn replies_say_what_to_write() {
    let reply = |text: &str| {
        let e: CommandError = Ops::parse(text).unwrap_err();
        (
            e.to_string(),
            e.reply().title().to_owned(),
            e.reply().text().to_owned(),
        )
    };
    let (line, title, text) = reply("silnce HighLatency 2h");
    assert_eq!(line, "unknown command \"silnce\"; did you mean silence?");
    assert_eq!(title, "Unknown command");
    assert!(
        text.starts_with("#### Unknown command: **silnce**\n\nDid you mean **silence**?"),
        "{text}"
    );
    assert!(
        text.contains("- **silence** *alertname* \\[*duration*\\] \\[\\--comment *value*\\] — Silence an alert for a while (also: mute, 静音)"),
        "{text}"
    );
    assert!(
        text.contains(
            "- **alerts** \\[\\--all\\] \\[\\--severity *value*…\\] — What is firing now"
        ),
        "{text}"
    );
    assert!(text.contains("- **ping**"), "{text}");

    let (line, title, text) = reply("silence HighLatency 2 hours");
    assert_eq!(
        line,
        "silence: \"2\" is not a valid duration: \"2\" has no unit: write 2h, 30m or 45s"
    );
    assert_eq!(title, "silence: usage");
    assert!(
        text.contains("Usage: **silence** *alertname* \\[*duration*\\] \\[\\--comment *value*\\]"),
        "{text}"
    );
    assert!(
        text.contains("- \\[*duration*\\]: How long, as 2h or 30m (default 1h)"),
        "{text}"
    );

    let (_, _, text) = reply("silence HighLatency --coment x");
    assert!(
        text.starts_with("#### silence: unknown flag --coment; did you mean --comment?"),
        "{text}"
    );

    // What a person wrote cannot inject markup or mentions into the reply.
    let (_, _, text) = reply("**[x](https://evil.example)** @all");
    assert!(
        text.contains("Unknown command: **\\*\\*\\[x\\](https://evil.example)\\*\\***"),
        "{text}"
    );

    let help = Ops::help();
    assert_eq!(help.title(), "Commands");
    assert_eq!(help.text().matches("\n- ").count(), 6, "{}", help.text());
    assert_eq!(Ops::parse("help").unwrap_err().reply(), help);
}

#[test]
fn the_commands_are_data() {
    let commands = Ops::commands();
    let names: Vec<&str> = commands.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            "silence",
            "unsilence",
            "alerts",
            "block-ip",
            "scale-up",
            "ping"
        ]
    );
    let silence = &commands[0];
    assert_eq!(silence.aliases, ["mute", "静音"]);
    assert_eq!(silence.about, "Silence an alert for a while");
    let kinds: Vec<(&str, ArgKind, bool, Option<&str>)> = silence
        .args
        .iter()
        .map(|a| (a.name, a.kind, a.required, a.default))
        .collect();
    assert_eq!(
        kinds,
        [
            ("alertname", ArgKind::Positional, true, None),
            ("duration", ArgKind::Positional, false, Some("1h")),
            ("comment", ArgKind::Flag, false, None),
        ]
    );
    assert_eq!(commands[2].args[0].kind, ArgKind::Switch);
    assert!(commands[2].args[1].many);
}

/// A command enum whose own `help` wins over the built-in one.
#[derive(DingCommand, Debug, PartialEq)]
enum WithHelp {
    Help { topic: Option<String> },
}

#[test]
fn an_enum_may_answer_help_itself() {
    assert_eq!(
        WithHelp::parse("help silence"),
        Ok(WithHelp::Help {
            topic: Some("silence".into())
        })
    );
}
