//! The TLS settings every robot's HTTP client uses: rustls with the `ring` provider and
//! the platform verifier (the operating system's trust roots and its checks, as
//! reqwest's own rustls default does).
//!
//! reqwest's default provider is aws-lc-rs, whose C library is the largest single item
//! of a first build; `ring` builds in a fraction of that time and offers every suite
//! DingTalk's endpoints use. The config is built from a provider object, not from a
//! process-wide default, so a program that installs its own default is unaffected.

use std::sync::{Arc, OnceLock};

use rustls::ClientConfig;
use rustls_platform_verifier::BuilderVerifierExt;

use crate::error::Error;

/// The client TLS config, built once per process; robots share it.
pub(crate) fn client_config() -> Result<ClientConfig, Error> {
    static CONFIG: OnceLock<Result<ClientConfig, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| build().map_err(|err| err.to_string()))
        .clone()
        .map_err(|message| Error::Transport {
            message: format!("TLS setup failed: {message}"),
            source: message.into(),
        })
}

fn build() -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_platform_verifier()?
        .with_no_client_auth();
    // reqwest leaves ALPN to a preconfigured backend: HTTP/1.1, the one protocol the
    // client speaks (reqwest is built without HTTP/2).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_http11_with_the_ring_provider() {
        let config = client_config().expect("TLS config");
        assert_eq!(config.alpn_protocols, [b"http/1.1".to_vec()]);
        let suites = &config.crypto_provider().cipher_suites;
        assert!(!suites.is_empty());
        // Only ring is compiled in: its defaults are what the config holds.
        assert_eq!(
            suites.len(),
            rustls::crypto::ring::default_provider().cipher_suites.len()
        );
    }
}
