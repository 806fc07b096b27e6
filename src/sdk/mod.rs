//! Emulations of the two mobile SDKs' client-side token validation, step by step as the spec
//! describes them (Android `AuthorizationUtils.isValidJwt`, iOS `MMJwtValidator`).
//!
//! Neither SDK looks at the signature or at header values; they only decide whether a request is
//! sent at all. The verdicts carry the SDKs' exact codes and message strings.

pub mod android;
pub mod ios;
mod javanum;
mod orgjson;
pub mod plugins;
pub mod userdata;

use crate::json::Members;
use crate::problem::Code;
use serde::Serialize;

/// Segments that the server layer already decoded as canonical base64url and parsed as strict
/// JSON without duplicate names. For such a segment both SDKs' decoders yield the same bytes and
/// their JSON readers the same members, so the emulations reuse the parse instead of redoing it
/// (a test checks that the answers are identical with and without it).
#[derive(Debug, Clone, Copy, Default)]
pub struct Parsed<'a> {
    pub header: Option<(&'a str, &'a Members)>,
    pub payload: Option<(&'a str, &'a Members)>,
}

impl<'a> Parsed<'a> {
    /// The parsed header, if `segment` is the one it was parsed from.
    pub fn header_for(&self, segment: &str) -> Option<&'a Members> {
        self.header
            .filter(|(s, _)| same(s, segment))
            .map(|(_, m)| m)
    }

    /// The parsed payload, if `segment` is the one it was parsed from.
    pub fn payload_for(&self, segment: &str) -> Option<&'a Members> {
        self.payload
            .filter(|(s, _)| same(s, segment))
            .map(|(_, m)| m)
    }
}

/// Whether two segments are equal; the emulations split the very token `check` split, so the
/// address comparison settles it without reading a payload's bytes again.
fn same(a: &str, b: &str) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

/// The header members both SDKs require, in the order mmjwt reports them.
pub const MANDATORY_HEADERS: [&str; 3] = ["alg", "typ", "kid"];
/// The claims both SDKs require, in the order mmjwt reports them.
pub const MANDATORY_CLAIMS: [&str; 6] = ["typ", "sub", "infobip-api-key", "iat", "exp", "jti"];

/// The message both SDKs attach to an expired token.
pub const EXPIRED_MESSAGE: &str = "The provided JWT is expired.";
pub const BLANK_MESSAGE: &str = "Token is empty or blank.";
pub const PARTS_MESSAGE: &str = "Token must have three parts separated by dots.";
pub const HEADER_MESSAGE: &str = "Token header is not a valid Base64 encoded JSON object.";
pub const PAYLOAD_MESSAGE: &str = "Token payload is not a valid Base64 encoded JSON object.";

/// What one SDK says about a token before sending a request with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SdkVerdict {
    pub accepted: bool,
    /// `JWT_TOKEN_STRUCTURE_INVALID` or `JWT_TOKEN_EXPIRED`; `None` when accepted.
    pub code: Option<Code>,
    /// The SDK's exact message; `None` when accepted.
    pub message: Option<String>,
}

impl SdkVerdict {
    pub fn accepted() -> Self {
        SdkVerdict {
            accepted: true,
            code: None,
            message: None,
        }
    }

    pub fn structure(message: impl Into<String>) -> Self {
        SdkVerdict {
            accepted: false,
            code: Some(Code::StructureInvalid),
            message: Some(message.into()),
        }
    }

    pub fn expired() -> Self {
        SdkVerdict {
            accepted: false,
            code: Some(Code::Expired),
            message: Some(EXPIRED_MESSAGE.into()),
        }
    }
}

/// One of the two mobile SDKs: whose validation a verdict is, whose wire format `replay`
/// reproduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Android,
    Ios,
}

impl Platform {
    pub const ALL: [Platform; 2] = [Platform::Android, Platform::Ios];

    /// The name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Android => "android",
            Platform::Ios => "ios",
        }
    }

    /// As people write it in prose.
    pub fn display(self) -> &'static str {
        match self {
            Platform::Android => "Android",
            Platform::Ios => "iOS",
        }
    }
}

/// Which SDKs to emulate (`check --sdk android|ios|both`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SdkSelection {
    pub android: bool,
    pub ios: bool,
}

impl SdkSelection {
    pub const BOTH: SdkSelection = SdkSelection {
        android: true,
        ios: true,
    };
    pub const NONE: SdkSelection = SdkSelection {
        android: false,
        ios: false,
    };

    /// Only `platform`.
    pub fn only(platform: Platform) -> SdkSelection {
        SdkSelection {
            android: platform == Platform::Android,
            ios: platform == Platform::Ios,
        }
    }
}
