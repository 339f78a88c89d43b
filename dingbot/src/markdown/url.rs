//! URLs inside markdown: which ones may be linked, and how they are encoded so that a
//! value can neither end a link early nor smuggle in another scheme.

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

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
/// interpolated into part of a URL is encoded with.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The schemes a message may link to: the web, and DingTalk's own links.
const LINK_SCHEMES: [&str; 3] = ["http", "https", "dingtalk"];

/// Whether `url` is an absolute URL DingTalk may open: `http(s)://` or `dingtalk://`.
pub(crate) fn is_linkable(url: &str) -> bool {
    url::Url::parse(url.trim()).is_ok_and(|u| LINK_SCHEMES.contains(&u.scheme()))
}

/// A whole URL made safe inside `(...)`: trimmed, and spaces, parentheses, brackets and
/// the like percent-encoded. `None` when it is not a URL DingTalk may open.
pub(crate) fn link_target(url: &str) -> Option<String> {
    is_linkable(url).then(|| utf8_percent_encode(url.trim(), URL_UNSAFE).to_string())
}

/// Appends a value that forms a whole link target: encoded as [`link_target`] when it
/// is a URL DingTalk may open, else encoded as a URL part (so `javascript:x` becomes a
/// harmless relative `javascript%3Ax`).
pub(crate) fn push_url(out: &mut String, value: &str) {
    match link_target(value) {
        Some(url) => out.push_str(&url),
        None => push_url_part(out, value),
    }
}

/// Appends a value that forms part of a URL (a path segment, a query value), every
/// reserved character percent-encoded.
pub(crate) fn push_url_part(out: &mut String, value: &str) {
    out.extend(utf8_percent_encode(value, COMPONENT));
}

/// A URL that opens `url` from DingTalk: in the desktop side panel when `pc_slide` is
/// true, in the browser otherwise (`dingtalk://dingtalkclient/page/link?...`).
///
/// ```
/// let url = dingbot::markdown::dingtalk_link("https://example.com/a?b=1", true);
/// assert_eq!(url, "dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fexample%2Ecom%2Fa%3Fb%3D1&pc_slide=true");
/// ```
pub fn dingtalk_link(url: &str, pc_slide: bool) -> String {
    format!(
        "dingtalk://dingtalkclient/page/link?url={}&pc_slide={}",
        utf8_percent_encode(url, NON_ALPHANUMERIC),
        pc_slide
    )
}

/// A URL that opens `url` in DingTalk's desktop side panel (on a phone, in DingTalk's
/// own browser): [`dingtalk_link`] with `pc_slide=true`.
///
/// ```
/// use dingbot::markdown::open_in_side_panel;
///
/// assert_eq!(
///     open_in_side_panel("https://grafana.example.com/d/x?from=now-1h"),
///     "dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fgrafana%2Eexample%2Ecom%2Fd%2Fx%3Ffrom%3Dnow%2D1h&pc_slide=true"
/// );
/// ```
pub fn open_in_side_panel(url: &str) -> String {
    dingtalk_link(url, true)
}

/// A URL that opens `url` in the desktop's own web browser: [`dingtalk_link`] with
/// `pc_slide=false`.
///
/// ```
/// use dingbot::markdown::open_in_browser;
///
/// assert!(open_in_browser("https://a.example/").ends_with("&pc_slide=false"));
/// ```
pub fn open_in_browser(url: &str) -> String {
    dingtalk_link(url, false)
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
    fn values_cannot_break_out() {
        assert_eq!(
            link_target("https://a.b/c d)e").as_deref(),
            Some("https://a.b/c%20d%29e")
        );
        let mut out = String::new();
        push_url(&mut out, "javascript:alert(1)");
        assert_eq!(out, "javascript%3Aalert%281%29");
        out.clear();
        push_url_part(&mut out, "a b/c?d=e&f_g");
        assert_eq!(out, "a%20b%2Fc%3Fd%3De%26f_g");
    }
}
