//! The fleet against stand-ins for Redis: a manual clock refused, a server whose
//! script replies are none the script gives, a wait that says each minute (here, each
//! 200 ms) what it waits for and ends at its bound, a repair the script reports logged.
//! The real server is in `tests/tests/redis_pacing/`.

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use super::*;
use crate::pace::Pacing;
use std::time::Instant;

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

/// Warnings written while `f` runs on this thread.
async fn warnings<F: std::future::Future>(f: F) -> (F::Output, String) {
    #[derive(Clone, Default)]
    struct Buffer(Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(tracing::Level::WARN)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let output = f.await;
    drop(guard);
    let text = String::from_utf8_lossy(&buffer.0.lock().unwrap()).into_owned();
    (output, text)
}

fn fleet_at(url: &str, report_every: Duration) -> Arc<Fleet> {
    let mut fleet = Fleet::new(
        &Url::new(url),
        "k",
        Rate::DINGTALK,
        Duration::from_secs(62),
        Duration::from_secs(10),
        &Clock::system(),
    )
    .unwrap();
    fleet.report_every = report_every;
    Arc::new(fleet)
}

#[tokio::test(flavor = "current_thread")]
async fn a_waiting_send_says_what_it_waits_for_and_stops_at_its_bound() {
    // Fenced for 100 s, every time it asks.
    let url = answering("*3\r\n*0\r\n:4\r\n:100000\r\n").await;
    let fleet = fleet_at(&url, Duration::from_millis(200));
    let bound = Duration::from_millis(700);
    let start = Instant::now();
    let (acquired, log) = warnings(fleet.acquire(Pacing::WaitAtMost(bound), None)).await;
    let took = start.elapsed();
    match acquired {
        Err(Error::RateLimited {
            retry_after,
            throttled: false,
        }) => assert_eq!(retry_after, Duration::from_secs(100)),
        other => panic!("{:?}", other.map(|(_, free)| free)),
    }
    assert!(took >= bound && took < bound * 3, "{took:?}");
    let reports = log
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("waiting for the fence to end"))
        .count();
    assert!(reports >= 2, "{log}");
    assert!(log.contains("127.0.0.1") && !log.contains("pw@"), "{log}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_repair_the_script_reports_is_logged() {
    let url = answering("*3\r\n*1\r\n$31\r\ndingbot:{k}:sends held a string\r\n:0\r\n:3\r\n").await;
    let fleet = fleet_at(&url, Duration::from_secs(60));
    let (acquired, log) = warnings(fleet.acquire(Pacing::FailFast, None)).await;
    let (_held, free) = acquired.unwrap();
    assert_eq!(free, 3);
    assert!(
        log.lines()
            .any(|l| l.contains("WARN") && l.contains("dingbot:{k}:sends held a string")),
        "{log}"
    );
    assert!(!log.contains("pw@"), "{log}");
}
