//! `dingbot alertmanager`: a drop-in replacement for prometheus-webhook-dingtalk that
//! never loses an alert.
//!
//! Alertmanager's webhook receivers post to `/dingtalk/{target}/send`; each notification
//! is rendered by the derive (`render.rs`), deduplicated (`dedup.rs`), and sent through the
//! target's robot at once while its window has room, or — with `hold_dir` — held on disk
//! and by its digest when it has none (`deliver.rs`, `held.rs`, `journal.rs`). The answer
//! is a 2xx only for what was delivered or is held on disk, a 5xx for what Alertmanager
//! must send again. The config file is prometheus-webhook-dingtalk's
//! (`config.rs`); `/metrics` says what happened (`metrics.rs`); SIGHUP and `POST /-/reload`
//! reload the config, SIGTERM delivers what is held before the process exits
//! (`server.rs`).
//!
//! | module | owns |
//! |---|---|
//! | `config.rs` | the config file: prometheus-webhook-dingtalk's keys and dingbot's own, checked with line and key |
//! | `payload.rs` | Alertmanager's webhook JSON (version 4) |
//! | `render.rs` | the messages: derived view types, mentions, splitting to fit DingTalk's limit |
//! | `template/` | prometheus-webhook-dingtalk's Go templates, when the config names them |
//! | `dedup.rs` | recognising a notification sent again |
//! | `deliver.rs` | one target's robot, and the answer a notification gets |
//! | `held.rs` | one target's held messages: its digest and its journal |
//! | `journal.rs` | held notifications on disk (`hold_dir`), synced before the answer, replayed at start |
//! | `outcome.rs` | what became of a notification, and how a failed send is read |
//! | `metrics.rs` | `/metrics` |
//! | `guard.rs` | who may drive the bridge: the `Host` check, JSON only, no web page |
//! | `server.rs` | the endpoints, reloads, the drain |
//! | `playground.rs` | `dingbot alertmanager render`: a notification's messages, printed, not sent |
//! | `pipeline.rs` | [`Pipeline`]: the steps before the network, for benchmarks and tests |
//! | `chatops/` | alerts handled from the group: `silence`, `unsilence`, `alerts` through Alertmanager's API v2 |

pub mod chatops;
mod config;
mod dedup;
mod deliver;
mod guard;
mod held;
mod journal;
mod metrics;
mod outcome;
mod payload;
mod pipeline;
mod playground;
mod render;
mod server;
mod template;

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::exit::Failure;
use crate::signal::{Reload, Stop};
use crate::terminal::SafeLog;

pub use dedup::{Dedup, Key as NotificationKey, MAX_REMEMBERED, Slot};
pub use pipeline::Pipeline;

/// Flags of `dingbot alertmanager`. prometheus-webhook-dingtalk's spellings
/// (`--config.file`, `--web.listen-address`, `--web.enable-lifecycle`, `--log.level`)
/// are accepted too, so a deployment can swap the binary and keep its flags.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<Subcommand>,
    /// The config file (prometheus-webhook-dingtalk's config.yml is read as it is)
    #[arg(
        long,
        visible_alias = "config.file",
        value_name = "FILE",
        default_value = "config.yml"
    )]
    config: PathBuf,
    /// Where to listen for Alertmanager: HOST:PORT, or :PORT for every interface
    #[arg(
        long,
        visible_alias = "web.listen-address",
        value_name = "ADDR",
        default_value = "127.0.0.1:8060"
    )]
    listen: String,
    /// A host name Alertmanager or Prometheus uses to reach the bridge (as in
    /// http://NAME:8060/dingtalk/ops/send). Requests addressed to any other name are
    /// refused (421); IP addresses and localhost always work. Repeat it, or separate
    /// names with commas
    #[arg(long = "allowed-host", value_name = "NAME", value_delimiter = ',')]
    allowed_hosts: Vec<String>,
    /// Log level: error, warn, info, debug or trace (or a tracing filter directive)
    #[arg(
        long,
        visible_alias = "log.level",
        value_name = "LEVEL",
        default_value = "info"
    )]
    log_level: String,
    /// Log format: logfmt (key=value fields) or json
    #[arg(
        long,
        visible_alias = "log.format",
        value_name = "FORMAT",
        default_value = "logfmt"
    )]
    log_format: String,
    /// Accepted for prometheus-webhook-dingtalk's command lines: /-/reload is always on
    #[arg(long = "web.enable-lifecycle", hide = true)]
    enable_lifecycle: bool,
    /// Accepted for prometheus-webhook-dingtalk's command lines: there is no web UI
    /// (`dingbot alertmanager render` tries templates, `dingbot mock --ui` previews
    /// messages)
    #[arg(long = "web.enable-ui", hide = true)]
    enable_ui: bool,
}

/// What `dingbot alertmanager` does besides bridging.
#[derive(Debug, clap::Subcommand)]
enum Subcommand {
    /// Print the messages a notification on stdin renders to, without sending them: the
    /// template playground (title and text, or the JSON DingTalk receives with --json)
    Render(playground::Args),
}

/// Runs the bridge until SIGTERM or Ctrl-C, then drains.
pub(crate) async fn run(args: Args) -> Result<(), Failure> {
    if let Some(Subcommand::Render(render)) = &args.command {
        return playground::run(render);
    }
    init_logs(&args.log_level, &args.log_format)?;
    if args.enable_ui {
        tracing::warn!(
            "--web.enable-ui: there is no web playground; try templates with `dingbot alertmanager render --config config.yml < notification.json` and preview messages with `dingbot mock --ui`"
        );
    }
    let addr = listen_address(&args.listen)?;
    let hosts =
        guard::AllowedHosts::new(args.allowed_hosts.iter().map(String::as_str)).map_err(|e| {
            Failure::bad_input(e)
                .hint("give a host name without a port: --allowed-host dingbot.monitoring.svc")
        })?;
    let bridge = server::Bridge::start(args.config.clone()).map_err(|e| {
        Failure::bad_input(e.to_string()).hint("fix the config file and start again")
    })?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::bad_input(format!("cannot listen on {addr}: {e}")))?;
    let addr = listener.local_addr().unwrap_or(addr);
    tracing::info!(%addr, "listening for Alertmanager on /dingtalk/{{target}}/send");

    let stop = signals(std::sync::Arc::clone(&bridge))?;
    let names = hosts.names().collect::<Vec<_>>().join(", ");
    tracing::info!(
        allowed_hosts = %names,
        "answering requests addressed to an IP address, localhost or an allowed host name"
    );
    let router = bridge.router(hosts);
    // The listener stays open through the drain, so that Alertmanager and probes see it
    // stopping: /-/ready answers 503, new notifications 503 (Alertmanager sends them
    // again, elsewhere or later), /-/healthy and /metrics as usual. It closes when the
    // drain ends, after the requests in flight are answered.
    let (close, closed) = tokio::sync::oneshot::channel::<()>();
    let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
        let _ = closed.await;
    });
    let mut server = tokio::spawn(async move { serve.await });
    let ended_early = tokio::select! {
        () = stop => None,
        served = &mut server => Some(served),
    };
    let undelivered = bridge.drain().await;
    let _ = close.send(());
    let served = match ended_early {
        Some(served) => served,
        None => server.await,
    };
    served
        .map_err(|e| Failure::internal(format!("the HTTP server failed: {e}")))?
        .map_err(|e| Failure::internal(format!("the HTTP server failed: {e}")))?;
    if undelivered > 0 {
        tracing::error!(undelivered, "stopped with messages not delivered");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Reloads on SIGHUP (on Unix); the returned future ends at SIGTERM or Ctrl-C.
fn signals(
    bridge: std::sync::Arc<server::Bridge>,
) -> Result<impl std::future::Future<Output = ()> + Send + 'static, Failure> {
    let mut reload = Reload::install()?;
    let stop = Stop::install()?;
    tokio::spawn(async move {
        while reload.next().await {
            tracing::info!("SIGHUP: reloading the config");
            // A failure is logged and counted; the config in use stays.
            let _ = bridge.reload().await;
        }
    });
    Ok(async move {
        let signal = stop.wait().await;
        tracing::info!("{} received", signal.name());
    })
}

/// `HOST:PORT`, or Go's `:PORT` for every interface.
fn listen_address(text: &str) -> Result<SocketAddr, Failure> {
    let text = text.trim();
    let full = match text.strip_prefix(':') {
        Some(port) => format!("0.0.0.0:{port}"),
        None => text.to_owned(),
    };
    full.parse().map_err(|_| {
        Failure::bad_input(format!("--listen {text:?} is not an address"))
            .hint("write it as HOST:PORT (127.0.0.1:8060) or :PORT")
    })
}

fn init_logs(level: &str, format: &str) -> Result<(), Failure> {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(level).map_err(|e| {
        Failure::bad_input(format!("--log.level {level:?}: {e}"))
            .hint("use error, warn, info, debug or trace")
    })?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false);
    // Another subscriber may already be set (by the command itself): keep it. Text lines
    // go through `SafeLog`, as their fields quote requests and DingTalk; JSON escapes
    // every control character itself.
    let _ = match format {
        "logfmt" | "text" => builder.with_writer(|| SafeLog).try_init(),
        "json" => builder
            .json()
            .flatten_event(true)
            .with_writer(std::io::stderr)
            .try_init(),
        other => {
            return Err(
                Failure::bad_input(format!("--log.format {other:?} is not a log format"))
                    .hint("use logfmt or json"),
            );
        }
    };
    Ok(())
}
