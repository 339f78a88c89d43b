//! One connection: a ticket from the OpenAPI, then the WebSocket to its endpoint (TCP,
//! TLS for `wss://` with the robots' rustls config, the upgrade), within the timeouts.

use std::sync::Arc;

use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;

use super::Settings;
use crate::frame::BOT_MESSAGE_TOPIC;

/// A socket, plain or TLS.
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// The WebSocket the client reads.
pub(crate) type Socket = WebSocketStream<Box<dyn Io>>;

/// What `/v1.0/gateway/connections/open` answers.
#[derive(Deserialize)]
struct Opened {
    endpoint: String,
    ticket: String,
}

/// Why a connection could not be made (never the secret or the ticket).
pub(crate) type Failure = String;

/// Opens a connection: a fresh ticket, then the socket.
pub(crate) async fn connect(settings: &Settings) -> Result<Socket, Failure> {
    let opened = open(settings).await?;
    let mut url =
        url::Url::parse(&opened.endpoint).map_err(|e| format!("the endpoint is not a URL: {e}"))?;
    url.query_pairs_mut().append_pair("ticket", &opened.ticket);
    tokio::time::timeout(settings.builder.connect_timeout, socket(settings, url))
        .await
        .map_err(|_| "connecting the WebSocket timed out".to_owned())?
}

/// Asks the OpenAPI for an endpoint and a ticket.
async fn open(settings: &Settings) -> Result<Opened, Failure> {
    let b = &settings.builder;
    let body = serde_json::json!({
        "clientId": b.client_id,
        "clientSecret": b.client_secret.expose(),
        "subscriptions": [{"type": "CALLBACK", "topic": BOT_MESSAGE_TOPIC}],
        "ua": concat!("dingbot/", env!("CARGO_PKG_VERSION")),
        "localIp": "",
    });
    let response = settings
        .http
        .post(format!("{}/v1.0/gateway/connections/open", b.openapi))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| format!("opening a connection failed: {}", e.without_url()))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| format!("reading the answer failed: {}", e.without_url()))?;
    if !status.is_success() {
        let cut: String = text.chars().take(200).collect();
        return Err(format!(
            "opening a connection was refused (HTTP {status}): {cut}"
        ));
    }
    serde_json::from_str(&text).map_err(|_| "the answer has no endpoint and ticket".to_owned())
}

/// TCP, TLS for `wss://`, the WebSocket upgrade.
async fn socket(settings: &Settings, url: url::Url) -> Result<Socket, Failure> {
    let tls = match url.scheme() {
        "ws" => false,
        "wss" => true,
        other => return Err(format!("the endpoint's scheme is {other}, not ws or wss")),
    };
    let host = url
        .host_str()
        .ok_or_else(|| "the endpoint has no host".to_owned())?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url
        .port_or_known_default()
        .unwrap_or(if tls { 443 } else { 80 });
    let tcp = TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| format!("connecting to the endpoint failed: {e}"))?;
    let _ = tcp.set_nodelay(true);
    let io: Box<dyn Io> = if tls {
        let name = rustls::pki_types::ServerName::try_from(host)
            .map_err(|e| format!("the endpoint's host is not a TLS name: {e}"))?;
        let connector = tokio_rustls::TlsConnector::from(Arc::clone(&settings.tls));
        Box::new(
            connector
                .connect(name, tcp)
                .await
                .map_err(|e| format!("TLS with the endpoint failed: {e}"))?,
        )
    } else {
        Box::new(tcp)
    };
    let (socket, _) = tokio_tungstenite::client_async(url.as_str(), io)
        .await
        .map_err(|e| format!("the WebSocket upgrade failed: {e}"))?;
    Ok(socket)
}
