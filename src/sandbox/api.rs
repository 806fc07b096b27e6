//! What the sandbox answers: the one function that builds every response, so `Content-Type:
//! application/json` is never forgotten (both SDKs misread errors without it, and without a
//! `Content-Length`, which [`crate::serve::finish`] gives every answer). The refusal it carries ([`ApiError`]: the Infobip error envelope with its HTTP status
//! and `messageId`) and the sandbox's `messageId` vocabulary live in the core
//! (`mmjwt_wire::sandbox::api`).

use crate::serve::{self, Response};
use http::StatusCode;
use serde_json::Value;

pub(crate) use mmjwt_wire::sandbox::api::{ApiError, message_id};

/// A JSON response with its `Content-Type`.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    serve::response(status, "application/json", bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{Method, header};

    /// As served: every answer passes [`serve::finish`].
    #[test]
    fn json_response_states_type_and_length() {
        let e = ApiError::unauthorized(
            message_id::INVALID_APPLICATION_CODE,
            "Invalid Application Id",
        );
        let mut res = json_response(e.status, &e.envelope());
        serve::finish(&mut res, &Method::POST);
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/json");
        let len = e.envelope().to_string().len().to_string();
        assert_eq!(res.headers()[header::CONTENT_LENGTH], len.as_str());
    }
}
