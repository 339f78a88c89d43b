//! The quickstart: one message of each type, signed.
//!
//! With `DINGTALK_WEBHOOK` (and optionally `DINGTALK_SECRET`) set, it sends to your real
//! group. Without them it starts the built-in DingTalk emulator and sends there, so it
//! works offline:
//!
//! ```text
//! cargo run -p dingbot-examples --example quickstart
//! ```

use dingbot::mock::MockServer;
use dingbot::{Error, Robot, Text};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (robot, emulator) = match Robot::from_env() {
        Ok(robot) => {
            println!(
                "Sending to the DingTalk group at {}",
                robot.webhook().endpoint()
            );
            (robot, None)
        }
        Err(Error::MissingEnv { .. }) => {
            let server = MockServer::builder()
                .secret("SECquickstart0123456789")
                .start()
                .await?;
            println!(
                "DINGTALK_WEBHOOK is not set: sending to the built-in DingTalk emulator at {}",
                server.addr()
            );
            let robot = Robot::builder(server.webhook_url())
                .secret("SECquickstart0123456789")
                .build()?;
            (robot, Some(server))
        }
        Err(other) => return Err(other.into()),
    };
    println!("Every request is signed: {}\n", robot.webhook().is_signed());

    let messages = dingbot_examples::quickstart_messages();

    for msg in &messages {
        match robot.send(msg).await {
            Ok(sent) => println!(
                "sent {:<10} -> ok (msgUuid {}, {} attempt(s))",
                msg.msgtype(),
                sent.msg_uuid,
                sent.attempts
            ),
            Err(err) => println!("sent {:<10} -> error: {err}", msg.msgtype()),
        }
    }

    if let Some(server) = emulator {
        // A robot with the wrong secret: DingTalk answers HTTP 200 with errcode 310000,
        // which dingbot reports as the error it is.
        let wrong = Robot::builder(server.webhook_url())
            .secret("SECwrong")
            .build()?;
        match wrong.send(&Text::new("never shown")).await {
            Ok(_) => println!("\nunexpected: a wrong signature was accepted"),
            Err(err) => println!("\nwith a wrong secret   -> error: {err}"),
        }

        println!("\nThe group received {} messages:", server.received().len());
        for msg in server.received() {
            println!("  {}", serde_json::to_string(&msg)?);
        }
    }
    Ok(())
}
