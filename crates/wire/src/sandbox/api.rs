//! The sandbox's refusals: the Infobip error envelope with its HTTP status and `messageId`, and
//! the sandbox's own `messageId` vocabulary. The response that carries them is built in the
//! mmjwt crate (`sandbox::api::json_response`), beside the HTTP serving.

use http::StatusCode;
use serde_json::{Value, json};

/// `messageId`s the sandbox answers with besides the token problem codes of
/// [`crate::problem::Code`] (a token whose `sub` is not the person's external user id is the
/// problem code `SUB_MISMATCH`: the same fault `check --user-id` finds). None of these names
/// is a problem code. Names that Infobip's SDKs know are kept as they spell them.
pub mod message_id {
    /// A wrong application code (the one error Infobip documents: HTTP 401, text
    /// "Invalid Application Id").
    pub const INVALID_APPLICATION_CODE: &str = "1";
    /// No `Authorization` header.
    pub const AUTHORIZATION_MISSING: &str = "AUTHORIZATION_MISSING";
    /// An `Authorization` header with an unknown scheme, several headers, or unreadable bytes.
    pub const AUTHORIZATION_INVALID: &str = "AUTHORIZATION_INVALID";
    /// jwt-only mode: the call needs a Bearer token.
    pub const JWT_REQUIRED: &str = "JWT_REQUIRED";
    /// jwt-only mode: `externalUserId` may change only through personalize.
    pub const EXTERNAL_USER_ID_CHANGE_FORBIDDEN: &str = "EXTERNAL_USER_ID_CHANGE_FORBIDDEN";
    /// `--reject-replayed-jti`: this `jti` was already used within its lifetime.
    pub const JTI_REPLAYED: &str = "JTI_REPLAYED";
    /// disallow mode: user data cannot be read or changed by the mobile SDK.
    pub const USER_DATA_RESTRICTED: &str = "USER_DATA_RESTRICTED";
    /// `--strict-installations`: the push registration id is not known.
    pub const NO_REGISTRATION: &str = "NO_REGISTRATION";
    /// Malformed JSON, wrong types, unknown members, bad query flags.
    pub const REQUEST_FORMAT_INVALID: &str = "REQUEST_FORMAT_INVALID";
    pub const EMAIL_INVALID: &str = "EMAIL_INVALID";
    pub const PHONE_INVALID: &str = "PHONE_INVALID";
    /// personalize without any of externalUserId, emails, phones.
    pub const USER_IDENTITY_INVALID: &str = "USER_IDENTITY_INVALID";
    /// The installation belongs to another personalized person and forceDepersonalize is false.
    pub const PERSONALIZATION_IMPOSSIBLE: &str = "PERSONALIZATION_IMPOSSIBLE";
    /// Several persons match the identity's emails or phones.
    pub const AMBIGUOUS_PERSONALIZE_CANDIDATES: &str = "AMBIGUOUS_PERSONALIZE_CANDIDATES";
    /// A patch sets an externalUserId another person already has.
    pub const USER_MERGE_INTERRUPTED: &str = "USER_MERGE_INTERRUPTED";
    /// User data over the People API limits the SDKs check before sending (the real server's
    /// answer is not known; the name is the sandbox's).
    pub const USER_DATA_LIMIT_EXCEEDED: &str = "USER_DATA_LIMIT_EXCEEDED";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
    /// The body is over the 64 KiB limit.
    pub const BODY_TOO_LARGE: &str = "BODY_TOO_LARGE";
    /// The request did not complete within the request timeout.
    pub const REQUEST_TIMEOUT: &str = "REQUEST_TIMEOUT";
    /// The store holds as many installations or persons as it may.
    pub const SANDBOX_FULL: &str = "SANDBOX_FULL";
    /// The change could not be written to the state file; it was undone.
    pub const STATE_NOT_SAVED: &str = "STATE_NOT_SAVED";
}

/// A refusal: status, `messageId` and a text that says what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message_id: &'static str,
    pub text: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message_id: &'static str, text: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message_id,
            text: text.into(),
        }
    }

    /// 400 `REQUEST_FORMAT_INVALID`.
    pub fn format(text: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            message_id::REQUEST_FORMAT_INVALID,
            text,
        )
    }

    /// 401 with any `messageId`.
    pub fn unauthorized(message_id: &'static str, text: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, message_id, text)
    }

    /// `{"requestError":{"serviceException":{"messageId":ID,"text":TEXT}}}`.
    pub fn envelope(&self) -> Value {
        json!({"requestError": {"serviceException": {"messageId": self.message_id, "text": self.text}}})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_has_infobip_shape() {
        let e = ApiError::unauthorized(
            message_id::INVALID_APPLICATION_CODE,
            "Invalid Application Id",
        );
        assert_eq!(e.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            e.envelope().to_string(),
            r#"{"requestError":{"serviceException":{"messageId":"1","text":"Invalid Application Id"}}}"#
        );
    }
}
