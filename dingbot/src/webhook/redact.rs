//! Masking what a request's URL carries — the access token, the timestamp and the
//! signature — wherever DingTalk (or a proxy) echoes it back in a text.

/// Masks query values that identify or sign a request, and signature-shaped strings.
pub(super) fn signatures(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let key = ["access_token=", "sign=", "timestamp="]
            .iter()
            .filter_map(|k| rest.find(k).map(|at| (at, k.len())))
            .min();
        let Some((at, len)) = key else { break };
        let value_start = at + len;
        let value_len = rest[value_start..]
            .find(|c: char| {
                c == '&' || c == '"' || c == '\'' || c.is_whitespace() || c == ',' || c == ';'
            })
            .unwrap_or(rest.len() - value_start);
        out.push_str(&rest[..value_start]);
        if value_len > 0 {
            out.push_str("***");
        }
        rest = &rest[value_start + value_len..];
    }
    out.push_str(rest);
    mask_base64_signatures(&out)
}

/// Masks 44-character runs of base64 ending in `=` (an HMAC-SHA256 in base64), and
/// their URL-encoded form.
fn mask_base64_signatures(text: &str) -> String {
    let is_b64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '%');
    let mut out = String::with_capacity(text.len());
    let mut run_start: Option<usize> = None;
    let flush = |out: &mut String, run: &str| {
        let decoded = percent_encoding::percent_decode_str(run).decode_utf8_lossy();
        let looks_signed = decoded.strip_suffix('=').is_some_and(|body| {
            body.len() == 43
                && body
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/')
        });
        out.push_str(if looks_signed { "***" } else { run });
    };
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_b64(c) || (c == '=' && run_start.is_some()) {
            run_start.get_or_insert(i);
            let next_continues = chars.peek().is_some_and(|&(_, n)| is_b64(n) || n == '=');
            if !next_continues {
                if let Some(start) = run_start.take() {
                    flush(&mut out, &text[start..i + c.len_utf8()]);
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
