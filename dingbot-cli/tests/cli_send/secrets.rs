//! The secret and the token are never echoed, whatever the outcome.

use dingbot::mock::Fault;

use crate::cli_util::{dingbot, dingbot_run, run};
use crate::{SECRET, TOKEN, send_to, signed_server};

#[test]
fn the_secret_and_the_token_are_never_echoed() {
    let server = signed_server();
    let runs = vec![
        // Rejected: the right token, the wrong secret.
        {
            let mut command = dingbot();
            command
                .args(["send", "--json", "text", "hello"])
                .env("DINGTALK_WEBHOOK", server.webhook_url())
                .env("DINGTALK_SECRET", "SECwrongButAlsoSecret77");
            run(command, None)
        },
        // A secret that is not one.
        {
            let mut command = dingbot();
            command
                .args([
                    "send",
                    "text",
                    "hello",
                    "--secret",
                    "notsecret-but-private-99",
                ])
                .env("DINGTALK_WEBHOOK", server.webhook_url());
            run(command, None)
        },
        // A token the robot does not know (the server's token, one character off).
        dingbot_run(&[
            "send",
            "--json",
            "text",
            "hello",
            "--webhook",
            &server
                .webhook_url()
                .replace(TOKEN, "tok-cli-never-shown-4243"),
        ]),
        // A dry run and the help, with both in the environment.
        send_to(&server, &["text", "hello", "--dry-run"], None),
        send_to(&server, &["--help"], None),
        send_to(&server, &["text", "--help"], None),
        // Transient failure after retries.
        {
            server.inject(Fault::Html, 100);
            send_to(
                &server,
                &["--json", "--attempts", "2", "text", "hello"],
                None,
            )
        },
    ];
    for out in &runs {
        let all = out.all_output();
        for secret in [
            SECRET,
            TOKEN,
            "SECwrongButAlsoSecret77",
            "notsecret-but-private-99",
            "tok-cli-never-shown-4243",
        ] {
            assert!(!all.contains(secret), "`{secret}` echoed: {out:?}");
        }
    }
    assert_eq!(
        runs.iter().map(|r| r.code).collect::<Vec<_>>(),
        [3, 2, 3, 0, 0, 0, 4]
    );
}
