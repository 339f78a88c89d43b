//! The errcode table and the error classes, checked.

use super::*;

#[test]
fn zero_is_success() {
    assert!(Error::from_api(0, "ok").is_none());
}

#[test]
fn security_failures_old_and_new_formats() {
    let cases = [
        (
            "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
            "sign",
        ),
        (
            "description:机器人发送签名不匹配;solution:请确认签名和生成签名的时间戳必须都放在调用的url中;link:请参考本接口对应的开放平台文档",
            "sign",
        ),
        ("invalid timestamp", "timestamp"),
        (
            "description:机器人发送签名过期;solution:请保证发送时的时间戳和服务器时间戳误差在1小时以内;link:请参考本接口对应的开放平台文档",
            "timestamp",
        ),
        ("keywords not in content", "keywords"),
        (
            "description:关键词不匹配;solution:请联系群管理员查看此机器人的关键词,并在发送的信息中包含此关键词;",
            "keywords",
        ),
        ("ip 1.2.3.4 not in whitelist", "ip"),
        (
            "description:ip地址不在白名单;solution:请在机器人的安全设置中添加该ip;",
            "ip",
        ),
        (
            "错误描述:关键词不匹配;解决方案:请联系群管理员查看此机器人的关键词，并在发送的信息中包含此关键词;",
            "keywords",
        ),
        (
            "错误描述:签名不匹配;解决方案:请确认签名和生成签名的时间戳必须都放在调用的url中;",
            "sign",
        ),
        ("something new", "other"),
    ];
    for (msg, want) in cases {
        let err = Error::from_api(310000, msg).unwrap();
        let got = match err {
            Error::SignatureMismatch { .. } => "sign",
            Error::InvalidTimestamp { .. } => "timestamp",
            Error::KeywordsMissing { .. } => "keywords",
            Error::IpNotAllowed { .. } => "ip",
            Error::SecurityCheckFailed { .. } => "other",
            other => panic!("310000 mapped to {other:?}"),
        };
        assert_eq!(got, want, "errmsg {msg:?}");
    }
}

#[test]
fn table() {
    assert!(matches!(
        Error::from_api(-1, "busy"),
        Some(Error::SystemBusy { .. })
    ));
    assert!(matches!(
        Error::from_api(130101, "send too fast"),
        Some(Error::SendTooFast { code: 130101, .. })
    ));
    assert!(matches!(
        Error::from_api(410100, "x"),
        Some(Error::SendTooFast { code: 410100, .. })
    ));
    assert!(matches!(
        Error::from_api(300001, "token is not exist"),
        Some(Error::TokenNotFound { .. })
    ));
    assert!(matches!(
        Error::from_api(460101, "message too big"),
        Some(Error::BodyTooLarge { .. })
    ));
    assert!(matches!(
        Error::from_api(430102, "x"),
        Some(Error::UnsafeContent { code: 430102, .. })
    ));
    let unknown = Error::from_api(123456, "brand new").unwrap();
    assert_eq!(unknown.errcode(), Some(123456));
    assert!(unknown.to_string().contains("123456") && unknown.to_string().contains("brand new"));
}

#[test]
fn retryable() {
    assert!(Error::from_api(-1, "").unwrap().is_retryable());
    assert!(Error::Timeout.is_retryable());
    assert!(
        !Error::from_api(310000, "sign not match")
            .unwrap()
            .is_retryable()
    );
    assert!(!Error::from_api(130101, "").unwrap().is_retryable());
    assert!(Error::from_api(130101, "").unwrap().is_throttled());
}
