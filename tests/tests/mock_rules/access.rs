//! Who may post: the path, the method, the token and the IP allow-list.

use dingbot::mock::MockServer;
use dingbot::{Error, Text};

use crate::localhost;
use crate::mock_util::{post, post_to, send_raw, target_of, text};

#[tokio::test]
async fn other_paths_are_404_and_recorded() {
    let server = MockServer::start().await.unwrap();
    let body = text("hi");
    for target in ["/", "/robot", "/robot/send/", "/robot/sendx?access_token=x"] {
        let reply = post_to(&server, target, body.body()).await.unwrap();
        assert_eq!(reply.status, 404, "{target}");
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert!(
        requests
            .iter()
            .all(|r| r.http_status == Some(404) && r.errcode.is_none() && !r.accepted)
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn only_post_is_accepted() {
    let server = MockServer::start().await.unwrap();
    let target = target_of(&server.webhook_url());
    for method in ["GET", "PUT", "DELETE", "PATCH"] {
        let reply = send_raw(server.addr(), method, &target, None, b"")
            .await
            .unwrap();
        assert_eq!(
            reply.dingtalk(),
            (43002, "需要POST请求".to_owned()),
            "{method}"
        );
        assert!(matches!(
            reply.error(),
            Some(Error::Api { code: 43002, .. })
        ));
    }
    assert_eq!(server.requests()[0].method, "GET");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn missing_or_unknown_token() {
    let server = MockServer::builder()
        .token("right-token")
        .start()
        .await
        .unwrap();
    assert!(
        server
            .webhook_url()
            .ends_with("/robot/send?access_token=right-token")
    );
    let body = text("hi");
    for target in [
        "/robot/send",
        "/robot/send?access_token=",
        "/robot/send?access_token=wrong-token",
        "/robot/send?access_token=right-token2",
        "/robot/send?token=right-token",
    ] {
        let reply = post_to(&server, target, body.body()).await.unwrap();
        assert_eq!(
            reply.dingtalk(),
            (300001, "token is not exist".to_owned()),
            "{target}"
        );
        assert!(matches!(
            reply.error(),
            Some(Error::TokenNotFound { code: 300001, .. })
        ));
    }
    let reply = post_to(&server, "/robot/send?access_token=right-token", body.body())
        .await
        .unwrap();
    assert_eq!(reply.errcode(), 0);
}

#[tokio::test]
async fn ip_allow_list() {
    let blocked = MockServer::builder()
        .allow_ip("10.0.0.1".parse().unwrap())
        .allow_ip("::1".parse().unwrap())
        .start()
        .await
        .unwrap();
    let reply = post(&blocked, Text::new("hi")).await;
    assert_eq!(
        reply.dingtalk(),
        (310000, "ip 127.0.0.1 not in whitelist".to_owned())
    );
    assert!(matches!(reply.error(), Some(Error::IpNotAllowed { .. })));
    assert!(blocked.received().is_empty());

    let allowed = MockServer::builder()
        .allow_ips(["10.0.0.1".parse().unwrap(), localhost()])
        .start()
        .await
        .unwrap();
    assert_eq!(post(&allowed, Text::new("hi")).await.errcode(), 0);
}
