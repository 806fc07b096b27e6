//! What the sandbox answers: the one function that builds every response (so `Content-Type:
//! application/json` and `Content-Length` are never forgotten; both SDKs misread errors without
//! them). The refusal it carries ([`ApiError`]: the Infobip error envelope with its HTTP status
//! and `messageId`) and the sandbox's `messageId` vocabulary live in the core
//! (`mmjwt_core::sandbox::api`).

use crate::serve::{self, Response};
use http::{HeaderValue, StatusCode, header};
use serde_json::Value;

pub(crate) use mmjwt_core::sandbox::api::{ApiError, message_id};

/// A JSON response with explicit `Content-Type` and `Content-Length`.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let len = bytes.len();
    let mut res = serve::response(status, "application/json", bytes);
    res.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_response_states_type_and_length() {
        let e = ApiError::unauthorized(
            message_id::INVALID_APPLICATION_CODE,
            "Invalid Application Id",
        );
        let res = json_response(e.status, &e.envelope());
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/json");
        let len = e.envelope().to_string().len().to_string();
        assert_eq!(res.headers()[header::CONTENT_LENGTH], len.as_str());
    }
}
