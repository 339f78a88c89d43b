//! The text log shows what a request carried without letting it act on the terminal:
//! control characters and bidi overrides escaped, so a request cannot recolour the
//! screen, retitle the window, reorder a line or forge a log line of its own.

use std::io::{Read, Write};
use std::net::TcpStream;

use crate::cli_util::Mock;

/// Posts `body` to `path` as raw bytes (a path may hold any byte over 0x7F); the status
/// line of the answer.
fn post_raw(webhook: &str, path: &[u8], body: &str) -> String {
    let authority = webhook
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .expect("an http URL");
    let mut stream = TcpStream::connect(authority).expect("connect to dingbot mock");
    let mut request = b"POST ".to_vec();
    request.extend_from_slice(path);
    request.extend_from_slice(
        format!(
            " HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    stream.write_all(&request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_requests_msgtype_and_path_are_logged_escaped() {
    let mut mock = Mock::start(&["--rate", "off"]);
    let send_path = mock.webhook[mock.webhook.find("/robot").unwrap()..].to_owned();
    // A msgtype DingTalk rejects, carrying an OSC title, a bell, a CSI and a forged line.
    let body = r#"{"msgtype":"\u001b]0;pwned\u0007\u001b[2J\n#9 POST /robot/send text: errcode 0 ok","text":{"content":"hi"}}"#;
    let answer = post_raw(&mock.webhook, send_path.as_bytes(), body);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // A path no robot serves, with the one-character CSI (U+009B) and a right-to-left
    // override, as UTF-8 bytes in the request line.
    let answer = post_raw(
        &mock.webhook,
        "/robot/\u{9b}31m\u{202e}txt.exe".as_bytes(),
        r#"{"msgtype":"text","text":{"content":"hi"}}"#,
    );
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    let (code, _) = mock.stop_with("TERM");
    assert_eq!(code, Some(0));
    let stderr = mock.stderr();
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!stderr.contains(c), "{c:?} logged as it is:\n{stderr:?}");
    }
    assert!(
        !stderr.lines().any(|line| line.starts_with("#9 ")),
        "a forged line:\n{stderr}"
    );
    assert!(
        stderr.contains(r"#1 POST /robot/send \u{1b}]0;pwned\u{7}\u{1b}[2J\n#9 POST"),
        "{stderr}"
    );
    assert!(
        stderr.contains(r"#2 POST /robot/\u{9b}31m\u{202e}txt.exe"),
        "{stderr}"
    );
}
