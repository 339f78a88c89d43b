//! Stopping on SIGTERM or Ctrl-C: a clean exit however early, and no request answered
//! but left out of the log.

use std::io::{Read, Write};
use std::net::TcpStream;

use crate::cli_util::Mock;
use crate::send;

#[test]
fn ctrl_c_stops_it_too_and_text_logs_go_to_stderr() {
    let mut mock = Mock::start(&[]);
    assert_eq!(send(&mock.webhook, None, &["text", "hello"]).code, 0);
    let (code, rest) = mock.stop_with("INT");
    assert_eq!(code, Some(0));
    assert!(rest.is_empty(), "text logs are not on stdout: {rest:?}");
    let stderr = mock.stderr();
    assert!(
        stderr.contains("#1 POST /robot/send text: errcode 0 ok"),
        "{stderr}"
    );
}

#[test]
fn ctrl_c_as_soon_as_the_webhook_is_printed_is_a_clean_stop() {
    // The signal handlers are in place before the first line: a test that stops the
    // emulator as soon as it has read the URL gets exit 0, not death by SIGINT.
    for _ in 0..5 {
        let mut mock = Mock::start(&["--log", "json"]);
        let (code, rest) = mock.stop_with("INT");
        assert_eq!(code, Some(0), "killed by the signal instead of stopping");
        assert!(rest.is_empty(), "{rest:?}");
    }
}

#[test]
fn a_request_during_sigterm_is_logged_or_refused_never_answered_unlogged() {
    let mut mock = Mock::start(&["--rate", "off", "--log", "json"]);
    let authority = mock
        .webhook
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let target = mock.webhook[mock.webhook.find("/robot").unwrap()..].to_owned();
    // Clients that post numbered messages until the emulator refuses them, each
    // remembering the ones it got an answer for.
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let (authority, target) = (authority.clone(), target.clone());
            std::thread::spawn(move || {
                let mut answered = Vec::new();
                for n in 0.. {
                    let id = format!("c{client}-m{n}");
                    let body = format!(r#"{{"msgtype":"text","text":{{"content":"{id}"}}}}"#);
                    let Ok(mut stream) = TcpStream::connect(&authority) else {
                        break; // refused: the emulator is gone
                    };
                    let request = format!(
                        "POST {target} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    if stream.write_all(request.as_bytes()).is_err() {
                        break;
                    }
                    let mut answer = String::new();
                    let _ = stream.read_to_string(&mut answer);
                    if answer.starts_with("HTTP/1.1 200") && answer.contains(r#""errcode":0"#) {
                        answered.push(id);
                    }
                }
                answered
            })
        })
        .collect();
    // Let traffic flow, then stop it in the middle.
    let mut logged: Vec<serde_json::Value> = (0..40).map(|_| mock.json_line()).collect();
    let (code, rest) = mock.stop_with("TERM");
    assert_eq!(code, Some(0));
    logged.extend(rest.iter().map(|l| serde_json::from_str(l).unwrap()));
    let logged: std::collections::HashSet<String> = logged
        .iter()
        .map(|l| l["message"]["text"]["content"].as_str().unwrap().to_owned())
        .collect();
    let answered: Vec<String> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    assert!(answered.len() >= 40, "traffic flowed: {}", answered.len());
    let unlogged: Vec<&String> = answered.iter().filter(|id| !logged.contains(*id)).collect();
    assert!(
        unlogged.is_empty(),
        "answered but never logged: {unlogged:?}"
    );
}
