//! The proxy a robot is given ([`RobotBuilder::proxy`](super::RobotBuilder::proxy)),
//! checked without ever being shown.

use crate::error::Error;

/// The proxy at `url`, checked: an `http://` or `https://` URL with a host. What is
/// wrong is described, never quoted (the URL may hold a password).
pub(super) fn checked(url: &str) -> Result<reqwest::Proxy, Error> {
    let invalid = |reason: &str| Error::InvalidProxy {
        reason: reason.to_owned(),
    };
    let parsed = url::Url::parse(url.trim())
        .map_err(|e| invalid(&format!("not a URL ({e}); give http://host:port")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(&format!(
            "the scheme {:?} is not supported; give http://host:port (or https://)",
            parsed.scheme()
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("the URL has no host"));
    }
    reqwest::Proxy::all(parsed.as_str()).map_err(|_| invalid("reqwest cannot use it"))
}

#[cfg(test)]
mod tests {
    use crate::{Error, Robot};

    #[test]
    fn a_proxy_is_checked_and_never_shown() {
        for bad in [
            "socks9://user:hunter2@proxy:1080",
            "not a url hunter2",
            "http://user:hunter2@",
        ] {
            let err = Robot::builder("proxy-check-token")
                .proxy(bad)
                .build()
                .unwrap_err();
            assert!(matches!(err, Error::InvalidProxy { .. }), "{err:?}");
            assert!(!err.to_string().contains("hunter2"), "{err}");
        }
        let builder = Robot::builder("proxy-check-token").proxy("http://user:hunter2@proxy:3128");
        assert!(!format!("{builder:?}").contains("hunter2"));
        builder.build().unwrap();
    }
}
