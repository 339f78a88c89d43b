//! Robots speak TLS with rustls (the `ring` provider) and the platform verifier: a real
//! HTTPS endpoint (Python's `ssl`, an `openssl`-made certificate for `localhost`) is
//! refused while its certificate is not trusted, and accepted once the operating system's
//! trust store names it (`SSL_CERT_FILE`, which the platform verifier reads on Linux).
//!
//! The trusted case runs in a child process of this test binary, since a process reads
//! its trust store once.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use dingbot::{Error, Robot, Text};
use dingbot_tests::{Process, free_port, program};

const TOKEN: &str = "tls0123456789abcdef";
const CHILD_URL: &str = "DINGBOT_TLS_TEST_URL";

/// A certificate for `localhost` and 127.0.0.1 signed by a test CA (`ca.pem` in `dir`),
/// and an HTTPS robot endpoint using it; `None` when openssl or python3 is missing
/// (outside CI).
fn https_robot(dir: &Path, test: &str) -> Option<(Process, String)> {
    let openssl = program("openssl", test)?;
    let python = program("python3", test)?;
    let run = |args: &[&str]| {
        let out = Command::new(&openssl)
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    run(&[
        &["req", "-x509"][..],
        &ec,
        &["-subj", "/CN=dingbot test CA", "-days", "2"],
    ]
    .concat()
    .into_iter()
    .chain(["-keyout", "ca.key", "-out", "ca.pem"])
    .collect::<Vec<_>>());
    run(&[
        &["req"][..],
        &ec,
        &["-subj", "/CN=localhost", "-keyout", "key.pem"],
    ]
    .concat()
    .into_iter()
    .chain(["-out", "leaf.csr"])
    .collect::<Vec<_>>());
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
        "-out",
        "cert.pem",
    ]);
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let port = free_port();
    let mut command = Command::new(python);
    command
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/python/https_robot.py"
        ))
        .arg(&cert)
        .arg(&key)
        .arg(port.to_string());
    command.stdout(std::process::Stdio::null());
    let mut server = Process::start(command);
    server.wait_for_port(
        SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_secs(20),
    );
    let url = format!("https://localhost:{port}/robot/send?access_token={TOKEN}");
    Some((server, url))
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_and_a_trusted_one_accepted() {
    if std::env::var_os(CHILD_URL).is_some() {
        return; // the child runs only `trusted_child`
    }
    let test = "an_untrusted_certificate_is_refused_and_a_trusted_one_accepted";
    let dir = std::env::temp_dir().join(format!("dingbot-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let Some((_server, url)) = https_robot(&dir, test) else {
        return;
    };

    // The system's roots do not hold the test CA: the send fails, and says why without
    // the token.
    let robot = Robot::builder(&url)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = robot.send(&Text::new("over TLS")).await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        matches!(
            err,
            Error::Transport { .. } | Error::RetriesExhausted { .. }
        ),
        "{err:?}"
    );
    assert!(!text.contains(TOKEN), "{text}");
    // The cause is kept: rustls' verdict on the certificate.
    assert!(text.contains("InvalidCertificate(UnknownIssuer)"), "{text}");

    // Trusted through the platform's store: the same send is delivered.
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "trusted_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_URL, &url)
        .env("SSL_CERT_FILE", dir.join("ca.pem"))
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&child.stdout);
    assert!(
        child.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&child.stderr)
    );
    assert!(out.contains("delivered over TLS"), "{out}");
    assert!(out.contains("1 passed"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Run by the test above in a child process whose trust store holds the certificate.
#[tokio::test]
async fn trusted_child() {
    let Some(url) = std::env::var_os(CHILD_URL) else {
        return;
    };
    let robot = Robot::builder(url.to_str().unwrap())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let sent = robot.send(&Text::new("over TLS")).await.unwrap();
    println!("delivered over TLS as {}", sent.msg_uuid);
}
