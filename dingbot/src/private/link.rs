//! URLs built by generated code: a button's URL from its template, and a URL that opens
//! in DingTalk's side panel or the browser.

use std::fmt::{Display, Write as _};

pub use crate::markdown::dingtalk_link;

/// Appends a value to a button's URL, percent-encoded.
pub fn push_url_part(url: &mut String, value: &dyn Display) {
    let mut text = String::new();
    let _ = write!(text, "{value}");
    crate::markdown::url::push_url_part(url, &text);
}

/// Appends a `raw` value to a button's URL, as it is.
pub fn push_url_raw(url: &mut String, value: &dyn Display) {
    let _ = write!(url, "{value}");
}

/// The URL of a button field with `open`: wrapped when it is an absolute `http(s)://`
/// URL, else as it is, so the message's checks refuse it as they would without `open`.
pub fn open_url(url: String, pc_slide: bool) -> String {
    crate::markdown::url::opened(&url, pc_slide).unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opened_urls_wrap_only_web_urls() {
        assert_eq!(
            open_url("file:///etc/passwd".into(), true),
            "file:///etc/passwd"
        );
        assert_eq!(open_url(String::new(), false), "");
    }
}
