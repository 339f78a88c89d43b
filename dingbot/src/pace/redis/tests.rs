//! The fleet against stand-ins for Redis: a manual clock refused, and a server whose
//! script replies are none the script gives. The real server is in
//! `tests/tests/redis_pacing.rs`.

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use super::*;
use crate::pace::Pacing;

#[test]
fn a_manual_clock_is_refused() {
    let err = Fleet::new(
        &Url::new("redis://:pw@127.0.0.1:1"),
        "k",
        Rate::DINGTALK,
        Duration::from_secs(62),
        Duration::from_secs(10),
        &Clock::manual(),
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("system clock"), "{err}");
    assert!(!format!("{err:?}").contains("pw@"), "{err:?}");
}

/// A server that speaks RESP, answers every script with `reply` and anything else with
/// `+OK`; its `redis://` URL.
async fn answering(reply: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut read = BufReader::new(read);
                while let Some(command) = read_command(&mut read).await {
                    let script = command.eq_ignore_ascii_case("EVALSHA")
                        || command.eq_ignore_ascii_case("EVAL");
                    let answer = if script { reply } else { "+OK\r\n" };
                    if write.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("redis://:pw@127.0.0.1:{port}")
}

/// Reads one command (an array of bulk strings); its name.
async fn read_command(read: &mut (impl AsyncBufReadExt + Unpin)) -> Option<String> {
    let mut line = String::new();
    read.read_line(&mut line).await.ok()?;
    let count: usize = line.trim().strip_prefix('*')?.parse().ok()?;
    let mut name = None;
    for _ in 0..count {
        line.clear();
        read.read_line(&mut line).await.ok()?;
        let len: usize = line.trim().strip_prefix('$')?.parse().ok()?;
        let mut arg = vec![0; len + 2];
        read.read_exact(&mut arg).await.ok()?;
        arg.truncate(len);
        name.get_or_insert_with(|| String::from_utf8_lossy(&arg).into_owned());
    }
    name
}

#[tokio::test]
async fn an_unknown_script_reply_is_an_error_whatever_the_policy() {
    let url = answering("*2\r\n:9\r\n:100\r\n").await;
    let fleet = Arc::new(
        Fleet::new(
            &Url::new(&url),
            "k",
            Rate::DINGTALK,
            Duration::from_secs(62),
            Duration::from_secs(10),
            &Clock::system(),
        )
        .unwrap(),
    );
    for policy in [Pacing::FailFast, Pacing::Wait] {
        let acquired = tokio::time::timeout(Duration::from_secs(5), fleet.acquire(policy, None))
            .await
            .expect("an unknown reply is not waited on as a full window");
        let Err(err) = acquired else {
            panic!("{policy:?}: a slot from an unknown reply");
        };
        assert!(matches!(err, Error::Redis { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("not understood"), "{text}");
        assert!(text.contains("[9, 100]"), "{text}");
        assert!(!format!("{text} {err:?}").contains("pw@"), "{err:?}");
    }
}
