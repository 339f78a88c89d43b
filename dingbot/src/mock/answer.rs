//! The HTTP answers the emulator builds: DingTalk's JSON, and plain pages for faults.

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};

/// A response with a status, a content type and a text body.
pub(crate) fn response(
    status: StatusCode,
    content_type: &'static str,
    body: String,
) -> Response<Bytes> {
    let mut res = Response::new(Bytes::from(body));
    *res.status_mut() = status;
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// HTTP 200 with DingTalk's `{"errcode":N,"errmsg":"..."}`.
pub(crate) fn json_answer(errcode: i64, errmsg: &str) -> Response<Bytes> {
    let body = serde_json::json!({ "errcode": errcode, "errmsg": errmsg }).to_string();
    response(StatusCode::OK, "application/json;charset=utf-8", body)
}
