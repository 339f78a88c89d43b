//! URLs inside markdown: which ones may be linked, and how they are encoded so that a
//! value can neither end a link early nor smuggle in another scheme.

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

use super::subset::LINK_SCHEMES;

/// Characters percent-encoded in a link or image URL so it cannot end the markdown early.
const URL_UNSAFE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'(')
    .add(b')')
    .add(b'<')
    .add(b'>')
    .add(b'"')
    .add(b'`')
    .add(b'\\')
    .add(b'[')
    .add(b']');

/// Everything but `A-Z a-z 0-9 - . _ ~` (RFC 3986's unreserved characters): what a value
/// put into part of a URL is encoded with — a value interpolated into a link here, and
/// the access token and signature in a webhook's query.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The schemes of the web: all a value from data may link to, and all `open` wraps. A
/// `dingtalk://` URL can carry any other URL or a client action, so it comes only from
/// the program itself (template text, a `raw` field, [`crate::markdown::Inline::link`]).
const WEB_SCHEMES: [&str; 2] = ["http", "https"];

/// Whether `url` (trimmed) is an absolute URL with one of `schemes`.
fn has_scheme(url: &str, schemes: &[&str]) -> bool {
    url::Url::parse(url.trim()).is_ok_and(|u| schemes.contains(&u.scheme()))
}

/// Whether `url` is an absolute URL DingTalk may open: `http(s)://` or `dingtalk://`.
pub(crate) fn is_linkable(url: &str) -> bool {
    has_scheme(url, LINK_SCHEMES)
}

/// Whether `url`, trimmed, is an absolute `http(s)://` URL as it is: the URL parser
/// would drop a tab or line break inside it, so one with control characters is not.
pub(crate) fn is_web(url: &str) -> bool {
    let url = url.trim();
    !url.contains(|c: char| c.is_control()) && has_scheme(url, &WEB_SCHEMES)
}

/// A whole URL made safe inside `(...)`: trimmed, and spaces, parentheses, brackets and
/// the like percent-encoded. `None` when it is not a URL DingTalk may open.
pub(crate) fn link_target(url: &str) -> Option<String> {
    is_linkable(url).then(|| utf8_percent_encode(url.trim(), URL_UNSAFE).to_string())
}

/// Appends a value from data that forms a whole link target: encoded as
/// [`link_target`] when it is an `http(s)://` URL, else encoded as a URL part (so
/// `javascript:x` becomes a harmless relative `javascript%3Ax`, and so does a
/// `dingtalk://` URL, which data may not link to).
pub(crate) fn push_url(out: &mut String, value: &str) {
    if is_web(value) {
        out.extend(utf8_percent_encode(value.trim(), URL_UNSAFE));
    } else {
        push_url_part(out, value);
    }
}

/// `url` wrapped to open in DingTalk's side panel or the browser, when it is an
/// absolute `http(s)://` URL; `None` for anything else, which no wrapping may make
/// linkable.
pub(crate) fn opened(url: &str, pc_slide: bool) -> Option<String> {
    is_web(url).then(|| dingtalk_link(url.trim(), pc_slide))
}

/// Appends a value that forms part of a URL (a path segment, a query value), every
/// reserved character percent-encoded.
pub(crate) fn push_url_part(out: &mut String, value: &str) {
    out.extend(utf8_percent_encode(value, COMPONENT));
}

/// A URL that opens `url` from DingTalk: in the desktop side panel when `pc_slide` is
/// true, in the browser otherwise (`dingtalk://dingtalkclient/page/link?...`).
///
/// `url` is wrapped whatever it is, and the result is always a `dingtalk://` URL that
/// buttons and links accept: pass only a URL the program vouches for. For a URL from
/// data, use [`open_in_side_panel`] or [`open_in_browser`], which wrap only `http(s)://`
/// URLs.
///
/// ```
/// let url = dingbot::markdown::dingtalk_link("https://example.com/a?b=1", true);
/// assert_eq!(url, "dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fexample%2Ecom%2Fa%3Fb%3D1&pc_slide=true");
/// ```
pub fn dingtalk_link(url: &str, pc_slide: bool) -> String {
    format!(
        "dingtalk://dingtalkclient/page/link?url={}&pc_slide={}",
        // Every character but letters and digits, stricter than `COMPONENT`: the whole
        // URL becomes one opaque value, and these links' exact form is public (users
        // compare them in tests), so it stays as it has always been.
        utf8_percent_encode(url, NON_ALPHANUMERIC),
        pc_slide
    )
}

/// A URL that opens `url` in DingTalk's desktop side panel (on a phone, in DingTalk's
/// own browser): [`dingtalk_link`] with `pc_slide=true`.
///
/// Only an absolute `http(s)://` URL (surrounding whitespace aside) is wrapped; for
/// anything else (`javascript:`, `file:`, a `dingtalk://` URL, a relative path, `""`)
/// the result is `None`, so a URL from data cannot become a link DingTalk opens by being
/// wrapped.
///
/// ```
/// use dingbot::markdown::open_in_side_panel;
///
/// assert_eq!(
///     open_in_side_panel("https://grafana.example.com/d/x?from=now-1h").as_deref(),
///     Some("dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fgrafana%2Eexample%2Ecom%2Fd%2Fx%3Ffrom%3Dnow%2D1h&pc_slide=true")
/// );
/// assert_eq!(open_in_side_panel("javascript:alert(1)"), None);
/// ```
pub fn open_in_side_panel(url: &str) -> Option<String> {
    opened(url, true)
}

/// A URL that opens `url` in the desktop's own web browser: [`dingtalk_link`] with
/// `pc_slide=false`; `None` unless `url` is an absolute `http(s)://` URL, as
/// [`open_in_side_panel`].
///
/// ```
/// use dingbot::markdown::open_in_browser;
///
/// assert!(open_in_browser("https://a.example/").unwrap().ends_with("&pc_slide=false"));
/// assert_eq!(open_in_browser("dingtalk://dingtalkclient/action/sendmsg"), None);
/// ```
pub fn open_in_browser(url: &str) -> Option<String> {
    opened(url, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_dingtalk_links() {
        assert!(is_linkable("https://a.example/x"));
        assert!(is_linkable(" http://a.example "));
        assert!(is_linkable("dingtalk://dingtalkclient/page/link?url=x"));
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "/relative",
            "ftp://a",
            "",
        ] {
            assert!(!is_linkable(bad), "{bad}");
            assert_eq!(link_target(bad), None);
        }
    }

    #[test]
    fn only_web_urls_are_opened() {
        assert_eq!(
            opened(" https://a.example/x ", false).as_deref(),
            Some(
                "dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fa%2Eexample%2Fx&pc_slide=false"
            )
        );
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "ht\ttps://a.example",
            "data:text/html,x",
            "file:///etc/passwd",
            "vbscript:x",
            "dingtalk://dingtalkclient/page/link?url=javascript%3Ax",
            "javascript%3Aalert(1)",
            "/relative",
            "",
            " ",
        ] {
            assert_eq!(opened(bad, true), None, "{bad:?}");
            assert!(!is_web(bad), "{bad:?}");
        }
    }

    #[test]
    fn values_cannot_break_out() {
        assert_eq!(
            link_target("https://a.b/c d)e").as_deref(),
            Some("https://a.b/c%20d%29e")
        );
        let mut out = String::new();
        push_url(&mut out, "javascript:alert(1)");
        assert_eq!(out, "javascript%3Aalert%281%29");
        out.clear();
        push_url(&mut out, "dingtalk://dingtalkclient/page/link?url=x");
        assert_eq!(
            out,
            "dingtalk%3A%2F%2Fdingtalkclient%2Fpage%2Flink%3Furl%3Dx"
        );
        out.clear();
        push_url_part(&mut out, "a b/c?d=e&f_g");
        assert_eq!(out, "a%20b%2Fc%3Fd%3De%26f_g");
    }
}
