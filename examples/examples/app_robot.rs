//! An enterprise app's robot: a derived event to a group, a reminder to two people one
//! to one, and a recall — through DingTalk's OpenAPI.
//!
//! With `DINGTALK_APP_KEY`, `DINGTALK_APP_SECRET`, `DINGTALK_ROBOT_CODE` and
//! `DINGTALK_GROUP` (an `openConversationId`) set, it sends to your real group. Without
//! them it starts the built-in emulator, which serves the OpenAPI too, so it works
//! offline:
//!
//! ```text
//! cargo run -p dingbot-examples --example app_robot
//! ```

use dingbot::mock::MockServer;
use dingbot::{AppRobot, DingMessage, Error, Text};

#[derive(DingMessage)]
#[ding(markdown, title = "Deploy {service} {version}")]
struct Deployed {
    service: String,
    version: String,
    #[ding(label = "By")]
    author: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (robot, group, emulator) = match AppRobot::from_env() {
        Ok(robot) => {
            let group = std::env::var("DINGTALK_GROUP")
                .map_err(|_| "set DINGTALK_GROUP to the group's openConversationId")?;
            (robot, group, None)
        }
        Err(Error::MissingEnv { .. }) => {
            let server = MockServer::builder()
                .app("dingexample", "example-app-secret", "dingexample-robot")
                .start()
                .await?;
            println!(
                "DINGTALK_APP_KEY is not set: sending to the built-in emulator's OpenAPI at {}",
                server.base_url()
            );
            let robot = AppRobot::builder("dingexample", "example-app-secret", "dingexample-robot")
                .openapi_url(server.base_url())
                .build()?;
            (robot, "cid-example".to_owned(), Some(server))
        }
        Err(other) => return Err(other.into()),
    };

    let event = Deployed {
        service: "api".into(),
        version: "v42".into(),
        author: "ops".into(),
    };
    let sent = robot.send_to_group(&group, &event).await?;
    println!("to the group: processQueryKey {}", sent.process_query_key);

    let reminder = robot
        .send_to_users(["manager4220", "staff1337"], &Text::new("api v42 is live"))
        .await?;
    println!("one to one: processQueryKey {}", reminder.process_query_key);

    robot.recall(&reminder).await?;
    println!("recalled the reminder");

    if let Some(server) = emulator {
        for delivery in server.app_messages() {
            println!(
                "emulator got {} (recalled: {})",
                delivery.msg_key, delivery.recalled
            );
        }
    }
    Ok(())
}
