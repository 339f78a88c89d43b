//! A robot that answers: a Stream mode client reads what people write to the robot,
//! `#[derive(DingCommand)]` parses it into an enum, and the reply goes back through the
//! message's session webhook.
//!
//! Offline, against the built-in emulator, which plays DingTalk's OpenAPI and a group
//! member who says three things:
//!
//! ```text
//! cargo run -p dingbot-examples --example answer
//! ```
//!
//! Against a real app robot, build the client with your app's `AppKey` and `AppSecret`
//! (and no `openapi(..)`): the same loop answers your group.

use std::time::Duration;

use dingbot::mock::{MockServer, Say};
use dingbot::stream::StreamClient;
use dingbot::{DingCommand, IncomingMessage, Markdown, Text};

/// What the robot understands.
#[derive(DingCommand, Debug)]
enum Command {
    /// Silence an alert for a while
    #[ding(alias = "mute")]
    Silence {
        /// The alert's name
        alertname: String,
        /// How long, as 2h or 30m
        #[ding(default = "1h")]
        duration: Duration,
    },
    /// What is firing now
    Alerts,
}

/// The answer to one message: what the command did, or the usage.
async fn answer(msg: &IncomingMessage) -> Result<(), dingbot::Error> {
    match Command::parse(msg.text()) {
        Ok(Command::Silence {
            alertname,
            duration,
        }) => {
            let text = format!(
                "{} silenced {alertname} for {} minutes",
                msg.sender_nick,
                duration.as_secs() / 60
            );
            msg.reply(&Text::new(text)).await?;
        }
        Ok(Command::Alerts) => {
            let md = Markdown::new("Firing", "### Firing\n- HighLatency\n- DiskFull");
            msg.reply(&md).await?;
        }
        // A wrong command gets the usage, with a "did you mean".
        Err(wrong) => {
            msg.reply(&wrong.reply()).await?;
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = MockServer::builder()
        .stream_app("dingexampleappkey", "example-app-secret")
        .start()
        .await?;
    println!("The emulator plays DingTalk at {}", emulator.base_url());

    let client = StreamClient::builder("dingexampleappkey", "example-app-secret")
        .openapi(emulator.base_url())
        .build()?;
    let mut messages = client.messages();

    for said in [
        "@robot silence HighLatency 2h",
        "@robot alerts",
        "@robot silnce DiskFull",
    ] {
        emulator.say(Say::new(said).by("Li Lei", "0101"));
    }
    for _ in 0..3 {
        let Some(msg) = messages.next().await else {
            break;
        };
        println!("\n{} said: {}", msg.sender_nick, msg.text());
        answer(&msg).await?;
        let reply = emulator
            .requests()
            .into_iter()
            .rev()
            .find(|r| r.path == "/robot/sendBySession")
            .map(|r| r.body_text())
            .unwrap_or_default();
        println!("the robot replied: {reply}");
    }
    messages.handle().shutdown().await;
    Ok(())
}
