//! `dingbot mock`: the DingTalk emulator as a standalone server, for tests in any
//! language and for looking at messages before a real group sees them.
//!
//! The first line of stdout is the webhook URL (flushed at once, so a test can read it
//! and start sending); with `--log json` every request that follows is one JSON line on
//! stdout. Everything meant for people goes to stderr. Ctrl-C or SIGTERM stops it
//! cleanly: the connections are closed, the last requests logged, and it exits 0.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap::ValueEnum;
use dingbot::mock::{ErrmsgStyle, MockError, MockServer, RecordedRequest};
use serde_json::{Value, json};

use crate::exit::Failure;
use crate::output::print_line;
use crate::preview::PreviewPage;
use crate::signal::Stop;
use crate::terminal::safe;
use crate::units::parse_duration;
use dingbot::Redacted;

/// Flags of `dingbot mock`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = crate::exit::with_exit_codes(MOCK_EXAMPLES))]
pub struct Args {
    /// Where to listen; port 0 picks a free port
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// The access token the robot accepts (a fixed test token by default)
    #[arg(long)]
    token: Option<Redacted>,
    /// Require requests signed with this secret (DingTalk's 加签 setting)
    #[arg(long, value_name = "SECRET")]
    secret: Option<Redacted>,
    /// Require one of these keywords in every message (repeat, at most 10)
    #[arg(long = "keyword", value_name = "KEYWORD")]
    keywords: Vec<String>,
    /// Accept requests from this address only (repeat for several)
    #[arg(long = "allow-ip", value_name = "IP")]
    allow_ips: Vec<IpAddr>,
    /// At most this many messages per window, then throttle; `off` for no limit
    #[arg(long, value_name = "N/WINDOW", default_value = "20/60s", value_parser = parse_rate_setting)]
    rate: RateSetting,
    /// How long the robot stays throttled once over the rate
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    throttle: Duration,
    /// Serve the preview page at /: every request as the group sees it, live
    #[arg(long)]
    ui: bool,
    /// How each request is logged: `text` on stderr, `json` one line per request on stdout
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "text")]
    log: LogFormat,
    /// Which errmsg texts to answer: DingTalk's older English ones or its newer ones
    #[arg(long, value_enum, value_name = "STYLE", default_value = "legacy")]
    errmsg: Style,
    /// Keep the last N requests for the preview (each with at most 64 KiB of its body);
    /// older ones are dropped and counted
    #[arg(long, value_name = "N", default_value_t = dingbot::mock::DEFAULT_KEEP)]
    keep: usize,
    /// Close a connection whose request head takes longer than this from its first byte
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    header_timeout: Duration,
    /// Close a connection that sends nothing for this long (between requests, or in a body)
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    idle_timeout: Duration,
    /// Serve at most N connections at once; beyond, the one idle longest is closed
    #[arg(long, value_name = "N", default_value_t = 256)]
    max_connections: usize,
    /// Also serve an enterprise app's robot on the same port, for this app key: the
    /// OpenAPI (/v1.0/oauth2/accessToken, /v1.0/robot/...) and Stream mode
    /// (/v1.0/gateway/connections/open, its WebSocket, the session webhooks
    /// /robot/sendBySession, POST /mock/say and the /mock/stream/* faults)
    #[arg(
        long,
        value_name = "KEY",
        requires = "app_secret",
        help_heading = "App robot"
    )]
    app_key: Option<String>,
    /// The app's secret (AppSecret; the Stream client's clientSecret)
    #[arg(
        long,
        value_name = "SECRET",
        requires = "app_key",
        help_heading = "App robot"
    )]
    app_secret: Option<Redacted>,
    /// The app robot's code (with --app-key) [default: the app key]
    #[arg(
        long,
        value_name = "CODE",
        requires = "app_key",
        help_heading = "App robot"
    )]
    robot_code: Option<String>,
    /// How long the app's access tokens live (with --app-key)
    #[arg(long, value_name = "DURATION", default_value = "2h", value_parser = parse_duration, help_heading = "App robot")]
    app_token_ttl: Duration,
    /// Post what is said (POST /mock/say) to this URL as a signed Outgoing callback (the
    /// app in HTTP mode) instead of a Stream frame (with --app-key)
    #[arg(
        long,
        value_name = "URL",
        requires = "app_key",
        help_heading = "App robot"
    )]
    outgoing: Option<String>,
    /// How often a Stream socket gets a ping frame
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration, help_heading = "App robot")]
    stream_ping: Duration,
}

const MOCK_EXAMPLES: &str = "\
Examples:
  dingbot mock --ui                                   # the preview page's address is on stderr
  dingbot mock --secret SEC0123 --keyword alert --log json
  dingbot mock --app-key dingkey --app-secret s3cret --robot-code dingrobot --ui
  dingbot mock --log json > mock.log &                # in a test script:
  until url=$(head -n1 mock.log) && [ -n \"$url\" ]; do sleep 0.1; done

App robot (Stream mode), with --app-key KEY --app-secret SECRET:
  DINGTALK_OPENAPI_ENDPOINT=http://127.0.0.1:PORT  # what the official SDKs read
  POST /v1.0/gateway/connections/open             # clientId, clientSecret -> endpoint, ticket (single use)
  GET  /connect?ticket=...                        # the WebSocket: ping frames, robot messages, acks
  POST /mock/say '{\"text\":\"@robot help\",\"senderNick\":\"Li Lei\",\"senderStaffId\":\"0101\",
                  \"conversationId\":\"cid1\",\"conversationType\":\"2\"}'  -> {\"delivered\": N}
  POST /robot/sendBySession?session=...           # replies, logged like every request
  POST /mock/stream/drop                          # close every Stream socket abruptly
  POST /mock/stream/disconnect                    # send the disconnect system frame
  POST /mock/stream/mute                          # stop pinging and reading acknowledgements
  Messages not acknowledged are delivered again on the next connection.";

/// `--rate`.
#[derive(Debug, Clone, Copy)]
enum RateSetting {
    Limit(dingbot::Rate),
    Off,
}

fn parse_rate_setting(text: &str) -> Result<RateSetting, String> {
    if text.trim().eq_ignore_ascii_case("off") {
        Ok(RateSetting::Off)
    } else {
        text.parse::<dingbot::Rate>()
            .map(RateSetting::Limit)
            .map_err(|err| err.to_string())
    }
}

/// `--log`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    /// One line per request on stderr, for people
    Text,
    /// One JSON object per request on stdout: the message and DingTalk's answer
    Json,
    /// Nothing
    Off,
}

/// `--errmsg`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Style {
    /// `sign not match`, `keywords not in content`, ...
    Legacy,
    /// `description:...;solution:...;link:...`
    Current,
}

/// Runs the emulator until Ctrl-C or SIGTERM.
pub async fn run(args: Args) -> Result<(), Failure> {
    let mut builder = MockServer::builder()
        .listen(args.listen)
        .keywords(args.keywords)
        .allow_ips(args.allow_ips)
        .throttle_for(args.throttle)
        .keep(args.keep)
        .header_read_timeout(args.header_timeout)
        .idle_timeout(args.idle_timeout)
        .max_connections(args.max_connections)
        .preview(args.ui)
        .errmsg_style(match args.errmsg {
            Style::Legacy => ErrmsgStyle::Legacy,
            Style::Current => ErrmsgStyle::Current,
        });
    if let Some(token) = args.token {
        builder = builder.token(token.into_inner());
    }
    if let Some(secret) = args.secret {
        builder = builder.secret(secret.into_inner());
    }
    if let (Some(key), Some(secret)) = (&args.app_key, args.app_secret) {
        let code = args.robot_code.clone().unwrap_or_else(|| key.clone());
        builder = builder
            .app(key.clone(), secret.into_inner(), code)
            .app_token_ttl(args.app_token_ttl)
            .stream_ping_every(args.stream_ping);
        if let Some(url) = &args.outgoing {
            builder = builder.outgoing(url.clone());
        }
    }
    builder = match args.rate {
        RateSetting::Limit(rate) => builder.rate_limit(rate),
        RateSetting::Off => builder.no_rate_limit(),
    };
    let stop = Stop::install()?;
    builder.check().map_err(|e| {
        Failure::bad_input(e.to_string()).hint("check the flags of `dingbot mock` (see --help)")
    })?;
    let server = builder.start().await.map_err(|e| {
        // The settings are right, so it is the address (the user's to change), or this
        // machine (no thread, no runtime).
        if matches!(e, MockError::Listen { .. }) {
            Failure::bad_input(e.to_string()).hint("pick another --listen address or port")
        } else {
            Failure::internal(e.to_string())
        }
    })?;
    let mut subscription = server.subscribe();

    print_line(&server.webhook_url())
        .map_err(|e| Failure::internal(format!("cannot write the webhook URL to stdout: {e}")))?;
    let mut stderr = std::io::stderr();
    let _ = writeln!(
        stderr,
        "dingbot mock: a DingTalk robot on {}; Ctrl-C stops it",
        server.addr()
    );
    if let (Some(key), Some(code)) = (server.app_key(), server.robot_code()) {
        let _ = writeln!(
            stderr,
            "dingbot mock: app robot {} (robot code {}) on the OpenAPI at {}",
            safe(&key, MAX_WORD),
            safe(&code, MAX_WORD),
            server.base_url()
        );
        let _ = writeln!(
            stderr,
            "dingbot mock: the app in Stream mode; DINGTALK_OPENAPI_ENDPOINT={}",
            server.base_url().trim_end_matches('/')
        );
    }
    if args.ui {
        let _ = writeln!(
            stderr,
            "dingbot mock: preview page at {}",
            server.base_url()
        );
    }

    let mut logger = Logger {
        format: args.log,
        count: 0,
        missed: 0,
    };
    tokio::select! {
        () = async {
            while let Some(request) = subscription.next().await {
                logger.log(&request, subscription.missed());
            }
        } => {}
        _ = stop.wait() => {}
    }
    server.shutdown().await;
    while let Some(request) = subscription.try_next() {
        logger.log(&request, subscription.missed());
    }
    let mut summary = format!("dingbot mock: stopped after {} request(s)", logger.count);
    if server.dropped() > 0 {
        summary.push_str(&format!(
            "; kept the last {}, dropped {} older (--keep)",
            server.keep(),
            server.dropped()
        ));
    }
    let _ = writeln!(stderr, "{summary}");
    Ok(())
}

struct Logger {
    format: LogFormat,
    /// Requests seen so far: logged, or dropped before they could be.
    count: u64,
    /// Requests dropped from the emulator's record before the log read them.
    missed: u64,
}

impl Logger {
    /// Logs one request, numbered from 1 since the start (after `missed` went by
    /// unlogged, which a text log says). When stdout is gone (its reader exited), the
    /// emulator goes on serving without the JSON log, and says so once.
    fn log(&mut self, request: &RecordedRequest, missed: u64) {
        if missed > self.missed {
            let skipped = missed - self.missed;
            self.count += skipped;
            self.missed = missed;
            if self.format == LogFormat::Text {
                let _ = writeln!(
                    std::io::stderr(),
                    "dingbot mock: {skipped} request(s) dropped before they were logged \
                     (more than --keep arrived at once)"
                );
            }
        }
        self.count += 1;
        match self.format {
            LogFormat::Off => {}
            LogFormat::Json => {
                if let Err(e) = print_line(&log_line(self.count, request).to_string()) {
                    let _ = writeln!(
                        std::io::stderr(),
                        "dingbot mock: cannot write to stdout: {e}; serving on without the JSON log"
                    );
                    self.format = LogFormat::Off;
                }
            }
            LogFormat::Text => {
                let _ = writeln!(std::io::stderr(), "{}", text_line(self.count, request));
            }
        }
    }
}

/// One request as a JSON log line: the message as DingTalk's JSON (`null` when the body
/// is not JSON, which is then in `body`) and the answer. The query (access token,
/// timestamp, signature) is left out.
fn log_line(number: u64, request: &RecordedRequest) -> Value {
    let (message, body) = request.body_json_or_text();
    json!({
        "request": number,
        "method": request.method,
        "path": request.path,
        "message": message,
        "body": body,
        "http_status": request.http_status,
        "errcode": request.errcode,
        "errmsg": request.errmsg,
        "accepted": request.accepted,
        "duplicate": request.duplicate,
        "reason": request.reason,
    })
}

/// The longest method and msgtype a text log line shows (DingTalk's are under 12 bytes).
const MAX_WORD: usize = 64;
/// The longest path a text log line shows.
const MAX_PATH: usize = 512;
/// The longest answer and reason a text log line shows.
const MAX_REASON: usize = 1024;

/// One request as a line for people, safe for a terminal (see `terminal.rs`).
fn text_line(number: u64, request: &RecordedRequest) -> String {
    let msgtype = serde_json::from_slice::<Value>(&request.body)
        .ok()
        .and_then(|v| {
            // A webhook message's msgtype, or an app robot's template.
            let kind = v.get("msgtype").or_else(|| v.get("msgKey"));
            kind.and_then(Value::as_str).map(str::to_owned)
        })
        .unwrap_or_else(|| "-".to_owned());
    let answer = match (request.errcode, &request.errmsg, request.http_status) {
        (Some(code), Some(msg), _) => format!("errcode {code} {msg}"),
        (_, _, Some(status)) => format!("HTTP {status}"),
        _ => "no answer".to_owned(),
    };
    // Everything but the number comes from the request, or may quote it.
    let mut line = format!(
        "#{number} {} {} {}: {}",
        safe(request.method.as_str(), MAX_WORD),
        safe(&request.path, MAX_PATH),
        safe(&msgtype, MAX_WORD),
        safe(&answer, MAX_REASON),
    );
    if request.duplicate {
        line.push_str(" (duplicate msgUuid, not posted again)");
    }
    if let Some(reason) = &request.reason {
        line.push_str(" -- ");
        line.push_str(&safe(reason, MAX_REASON));
    }
    line
}
