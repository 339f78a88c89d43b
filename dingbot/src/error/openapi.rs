//! The OpenAPI's answers read as an [`Error`]: an HTTP 4xx/5xx with DingTalk's JSON
//! `{"code", "message", "requestid"}`, sorted by its `code` first and its status second.

use super::Error;

impl Error {
    /// Maps a failed OpenAPI answer — its HTTP status, DingTalk's `code` and `message` —
    /// to an error. The codes DingTalk documents are matched by their prefix
    /// (`Forbidden.AccessDenied.QpsLimitForApi` is flow control, other
    /// `Forbidden...` codes a missing permission); what is left is sorted by the status:
    /// 401 authentication, 403 permission, 429 flow control, 400 a bad parameter.
    ///
    /// ```
    /// use dingbot::Error;
    ///
    /// let err = Error::from_openapi(401, "InvalidAuthentication", "不合法的access_token");
    /// assert!(matches!(err, Error::AppAuthentication { .. }));
    /// let err = Error::from_openapi(403, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", "");
    /// assert!(matches!(err, Error::AppFlowControlled { .. }) && err.is_retryable());
    /// ```
    pub fn from_openapi(status: u16, code: impl Into<String>, message: impl Into<String>) -> Error {
        let (code, message) = (code.into(), message.into());
        let lower = code.to_ascii_lowercase();
        let flow = lower.contains("qpslimit")
            || lower.starts_with("throttling")
            || lower.contains("too.fast")
            || lower.contains("flowcontrol")
            || status == 429;
        if flow {
            Error::AppFlowControlled {
                status,
                code,
                message,
            }
        } else if lower.starts_with("invalidauthentication")
            || lower.contains("invalidclient")
            || lower.contains("accesstoken.invalid")
            || status == 401
        {
            Error::AppAuthentication {
                status,
                code,
                message,
            }
        } else if lower.starts_with("forbidden") || status == 403 {
            Error::AppForbidden {
                status,
                code,
                message,
            }
        } else if lower.starts_with("param")
            || lower.starts_with("invalidparameter")
            || lower.starts_with("missingparameter")
            || status == 400
        {
            Error::AppBadParameter {
                status,
                code,
                message,
            }
        } else {
            Error::AppApi {
                status,
                code,
                message,
            }
        }
    }

    /// Whether the OpenAPI said the access token is not (or no longer) valid: the one
    /// answer after which a robot fetches a token anew and asks again, once.
    pub(crate) fn is_invalid_token(&self) -> bool {
        matches!(self, Error::AppAuthentication { code, .. }
            if code.eq_ignore_ascii_case("InvalidAuthentication")
                || code.to_ascii_lowercase().contains("accesstoken"))
    }
}

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn codes_decide_before_statuses() {
        let cases = [
            (401, "InvalidAuthentication", "AppAuthentication"),
            (400, "invalidClientSecret", "AppAuthentication"),
            (
                403,
                "Forbidden.AccessDenied.AccessTokenPermissionDenied",
                "AppForbidden",
            ),
            (
                403,
                "Forbidden.AccessDenied.QpsLimitForApi",
                "AppFlowControlled",
            ),
            (429, "Throttling", "AppFlowControlled"),
            (400, "param.invalid", "AppBadParameter"),
            (500, "ServiceUnavailable", "AppApi"),
        ];
        for (status, code, want) in cases {
            let err = Error::from_openapi(status, code, "m");
            let got = format!("{err:?}");
            assert!(got.starts_with(want), "{status} {code}: {got}");
        }
        assert!(Error::from_openapi(401, "InvalidAuthentication", "").is_invalid_token());
        assert!(!Error::from_openapi(400, "invalidClientSecret", "").is_invalid_token());
    }
}
