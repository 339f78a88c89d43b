//! Who may drive the bridge: Alertmanager and the operator's own tools, never a web page.
//!
//! A browser lets any page it shows send a "simple" request to any address, loopback
//! included: a POST whose `Content-Type` is `text/plain`,
//! `application/x-www-form-urlencoded` or `multipart/form-data`, or that has none. The
//! page cannot read the answer, but the request is delivered all the same. And a page
//! whose DNS name an attacker rebinds to this machine becomes same-origin with the
//! bridge, and may send and read anything, `/metrics` included. These checks keep both
//! out, in this order:
//!
//! | check | on | refused with |
//! |---|---|---|
//! | the `Host` is an IP address or `localhost` (any port), or a name listed with `--allowed-host` | every endpoint | 421 |
//! | `Content-Type: application/json` (parameters such as `; charset=utf-8` allowed, any case) | `POST /dingtalk/{target}/send` | 415 |
//! | no `Content-Type` (no body, as `curl -X POST` sends it), or `application/json` | `POST`/`PUT /-/reload` | 415 |
//! | no `Origin` header: a browser adds one to every POST and PUT, Alertmanager, Prometheus and curl never send one | the notification and reload endpoints | 403 |
//!
//! A page can send none of these: JSON, a `PUT` or a chosen `Host` need the bridge's
//! consent first (a CORS preflight, which it never gives), and a POST without a body
//! carries the page's `Origin`. A request with no `Host` at all (HTTP/1.0) comes from no
//! browser and is let through. Each refusal is logged and counted in
//! `dingbot_alertmanager_requests_refused_total{reason="host|content_type|origin"}`.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;

use super::metrics::ReasonLabel;

/// The names, besides IP addresses and `localhost`, that requests may be addressed to:
/// those Alertmanager's webhook URL and Prometheus' scrape config use
/// (`--allowed-host`).
#[derive(Clone, Debug, Default)]
pub struct AllowedHosts {
    /// Lowercase, without a port.
    names: BTreeSet<String>,
}

impl AllowedHosts {
    /// Checks and keeps `names`: host names without a port or a scheme.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<AllowedHosts, String> {
        let mut kept = BTreeSet::new();
        for name in names {
            let name = name.trim();
            let valid = !name.is_empty()
                && name.len() <= 253
                && (name.parse::<IpAddr>().is_ok()
                    || name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)));
            if !valid {
                return Err(format!(
                    "--allowed-host {name:?} is not a host name (letters, digits, '-', '.', '_', without a port)"
                ));
            }
            kept.insert(name.to_ascii_lowercase());
        }
        Ok(AllowedHosts { names: kept })
    }

    /// The names listed, to log at start.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// Whether a `Host` header's value (`name`, `name:port`, `[v6]:port`) names this
    /// bridge: an IP literal cannot be rebound, `localhost` is loopback in every browser,
    /// and a listed name is the operator's.
    fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        name.parse::<IpAddr>().is_ok()
            || name.eq_ignore_ascii_case("localhost")
            || self.names.contains(&name.to_ascii_lowercase())
    }
}

/// The name in a `Host` value, without its port and an IPv6 literal's brackets; `None`
/// when the value is not `host[:port]`.
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            inside.parse::<std::net::Ipv6Addr>().ok()?;
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':')?),
            };
            (inside, port)
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    if port.is_some_and(|p| p.parse::<u16>().is_err()) || name.is_empty() || name.contains('@') {
        return None;
    }
    Some(name)
}

/// The checks' shared state: the names allowed, and the refusals' counter.
pub struct Guard {
    hosts: AllowedHosts,
    refused: Family<ReasonLabel, Counter>,
}

impl Guard {
    /// The checks, counting refusals in `refused`.
    pub fn new(hosts: AllowedHosts, refused: Family<ReasonLabel, Counter>) -> Arc<Guard> {
        Arc::new(Guard { hosts, refused })
    }

    /// Counts and logs a refusal; the short plain answer.
    fn refuse(&self, status: StatusCode, reason: &str, answer: &'static str) -> Response {
        self.refused
            .get_or_create(&ReasonLabel {
                reason: reason.into(),
            })
            .inc();
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            answer,
        )
            .into_response()
    }
}

/// Every endpoint: the request is addressed to this machine by address, as `localhost`,
/// or by a name the operator listed; 421 otherwise.
pub async fn addressed_here(
    State(guard): State<Arc<Guard>>,
    request: Request,
    next: Next,
) -> Response {
    let hosts = request
        .headers()
        .get_all(header::HOST)
        .iter()
        .map(|h| h.to_str().unwrap_or("(not ASCII)"))
        .chain(request.uri().authority().map(|a| a.as_str()));
    for host in hosts {
        if !guard.hosts.allows(host) {
            tracing::warn!(
                host = %shown(host),
                "refused a request addressed to a name not listed with --allowed-host (421)"
            );
            return guard.refuse(
                StatusCode::MISDIRECTED_REQUEST,
                "host",
                "this bridge answers requests addressed to an IP address or localhost, \
                 or to a name given with --allowed-host\n",
            );
        }
    }
    next.run(request).await
}

/// `POST /dingtalk/{target}/send`: Alertmanager's JSON, from no web page.
pub async fn notification(
    State(guard): State<Arc<Guard>>,
    request: Request,
    next: Next,
) -> Response {
    if body_type(request.headers()) != Body::Json {
        tracing::warn!(
            content_type = %shown_content_type(request.headers()),
            "refused a notification that is not application/json (415)"
        );
        return guard.refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type",
            "a notification is Alertmanager's JSON, sent with Content-Type: application/json\n",
        );
    }
    if let Some(refused) = from_a_page(&guard, &request) {
        return refused;
    }
    next.run(request).await
}

/// `POST`/`PUT /-/reload`: no body (as `curl -X POST` sends it) or JSON, from no web
/// page.
pub async fn reload(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    if body_type(request.headers()) == Body::Other {
        tracing::warn!(
            content_type = %shown_content_type(request.headers()),
            "refused a reload request with a body that is not application/json (415)"
        );
        return guard.refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type",
            "/-/reload takes no body, or Content-Type: application/json\n",
        );
    }
    if let Some(refused) = from_a_page(&guard, &request) {
        return refused;
    }
    next.run(request).await
}

/// A 403 when a browser sent the request: it carries the page's `Origin`.
fn from_a_page(guard: &Guard, request: &Request) -> Option<Response> {
    let origin = request.headers().get(header::ORIGIN)?;
    tracing::warn!(
        origin = %shown(origin.to_str().unwrap_or("(not ASCII)")),
        path = %shown(request.uri().path()),
        "refused a request a web page sent (403)"
    );
    Some(guard.refuse(
        StatusCode::FORBIDDEN,
        "origin",
        "the bridge takes no requests from web pages\n",
    ))
}

/// What a request's `Content-Type` says its body is.
#[derive(Debug, PartialEq, Eq)]
enum Body {
    /// No `Content-Type`.
    None,
    /// `application/json`, with any parameters, in any case.
    Json,
    /// Anything else, several `Content-Type`s included.
    Other,
}

fn body_type(headers: &HeaderMap) -> Body {
    let mut values = headers.get_all(header::CONTENT_TYPE).iter();
    let Some(value) = values.next() else {
        return Body::None;
    };
    if values.next().is_some() {
        return Body::Other;
    }
    let essence = value
        .to_str()
        .ok()
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Body::Json
    } else {
        Body::Other
    }
}

fn shown_content_type(headers: &HeaderMap) -> String {
    headers.get(header::CONTENT_TYPE).map_or_else(
        || "(none)".to_owned(),
        |v| shown(v.to_str().unwrap_or("(not ASCII)")),
    )
}

/// A value from a request, safe for a log line: escaped, and cut with its length shown.
fn shown(value: &str) -> String {
    const MAX: usize = 100;
    let cut: String = value
        .chars()
        .take(MAX)
        .flat_map(char::escape_debug)
        .collect();
    if value.chars().count() > MAX {
        format!("{cut}… ({} bytes)", value.len())
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_by_address_localhost_or_listed_name() {
        let hosts = AllowedHosts::new(["Bridge.Monitoring.svc", "dingbot"]).unwrap();
        for host in [
            "127.0.0.1:8060",
            "127.0.0.1",
            "10.0.0.7:80",
            "[::1]:8060",
            "[::1]",
            "localhost:1",
            "LOCALHOST",
            "bridge.monitoring.svc:8060",
            "dingbot",
        ] {
            assert!(hosts.allows(host), "{host}");
        }
        for host in [
            "",
            "evil.example:8060",
            "localhost.:8060",
            "a.localhost",
            "127.0.0.1.nip.io:8060",
            "localhost:port",
            "localhost:99999",
            "[::1",
            "[::1]x",
            "[evil.example]:80",
            "user@127.0.0.1",
            "::1",
            "dingbot.evil.example",
        ] {
            assert!(!hosts.allows(host), "{host}");
        }
        assert!(AllowedHosts::new(["dingbot:8060"]).is_err());
        assert!(AllowedHosts::new(["http://dingbot"]).is_err());
        assert!(AllowedHosts::new([""]).is_err());
    }

    #[test]
    fn content_types() {
        let with = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for v in values {
                headers.append(header::CONTENT_TYPE, v.parse().unwrap());
            }
            body_type(&headers)
        };
        assert_eq!(with(&[]), Body::None);
        assert_eq!(with(&["application/json"]), Body::Json);
        assert_eq!(with(&["Application/JSON; charset=utf-8"]), Body::Json);
        for other in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonx",
            "",
        ] {
            assert_eq!(with(&[other]), Body::Other, "{other}");
        }
        assert_eq!(
            with(&["application/json", "text/plain"]),
            Body::Other,
            "two content types"
        );
    }

    #[test]
    fn shown_values_are_escaped_and_cut() {
        assert_eq!(shown("a\u{1b}[31m"), "a\\u{1b}[31m");
        let long = "x".repeat(300);
        assert!(shown(&long).ends_with("… (300 bytes)"));
    }
}
