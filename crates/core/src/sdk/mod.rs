//! Emulations of the two mobile SDKs' client-side token validation, step by step as the spec
//! describes them (Android `AuthorizationUtils.isValidJwt`, iOS `MMJwtValidator`).
//!
//! Neither SDK looks at the signature or at header values; they only decide whether a request is
//! sent at all. The verdicts carry the SDKs' exact codes and message strings.

pub mod android;
mod foundation;
pub mod ios;
mod javanum;
mod orgjson;
pub mod plugins;

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

/// One of the mobile SDKs: whose validation a verdict is, whose wire format `replay`
/// reproduces. A further platform (or a plugin's own version) is one more variant here and in
/// [`Platform::ALL`]; everything kept per platform is a [`PerPlatform`] indexed by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Android,
    Ios,
}

impl Platform {
    /// Every platform, in the order reports list them.
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

    /// The position in [`Platform::ALL`].
    fn index(self) -> usize {
        match self {
            Platform::Android => 0,
            Platform::Ios => 1,
        }
    }
}

/// One value for each [`Platform`], indexed by it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PerPlatform<T>([T; Platform::ALL.len()]);

impl<T> PerPlatform<T> {
    /// The value `f` gives for each platform.
    pub fn from_fn(mut f: impl FnMut(Platform) -> T) -> PerPlatform<T> {
        PerPlatform(Platform::ALL.map(&mut f))
    }

    /// Each platform with its value, in [`Platform::ALL`]'s order.
    pub fn iter(&self) -> impl Iterator<Item = (Platform, &T)> {
        Platform::ALL.into_iter().zip(&self.0)
    }
}

impl<T> std::ops::Index<Platform> for PerPlatform<T> {
    type Output = T;

    fn index(&self, platform: Platform) -> &T {
        &self.0[platform.index()]
    }
}

impl<T> std::ops::IndexMut<Platform> for PerPlatform<T> {
    fn index_mut(&mut self, platform: Platform) -> &mut T {
        &mut self.0[platform.index()]
    }
}

/// What `platform`'s SDK says about `token` at `now`, reading it from scratch.
pub fn validate(platform: Platform, token: &str, now: i64) -> SdkVerdict {
    match platform {
        Platform::Android => android::validate(token, now),
        Platform::Ios => ios::validate(token, now),
    }
}

/// Which SDKs to emulate (`check --sdk android|ios|both`): a set of platforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SdkSelection(PerPlatform<bool>);

impl SdkSelection {
    pub const BOTH: SdkSelection = SdkSelection(PerPlatform([true; Platform::ALL.len()]));
    pub const NONE: SdkSelection = SdkSelection(PerPlatform([false; Platform::ALL.len()]));

    /// Only `platform`.
    pub fn only(platform: Platform) -> SdkSelection {
        SdkSelection(PerPlatform::from_fn(|p| p == platform))
    }

    /// Whether `platform`'s SDK is emulated.
    pub fn contains(self, platform: Platform) -> bool {
        self.0[platform]
    }

    /// The emulated platforms, in [`Platform::ALL`]'s order.
    pub fn iter(self) -> impl Iterator<Item = Platform> {
        Platform::ALL.into_iter().filter(move |&p| self.contains(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_platform_has_its_own_place() {
        for (i, p) in Platform::ALL.into_iter().enumerate() {
            assert_eq!(p.index(), i);
            assert_eq!(SdkSelection::only(p).iter().collect::<Vec<_>>(), [p]);
            let per = PerPlatform::from_fn(Platform::name);
            assert_eq!(per[p], p.name());
        }
        assert_eq!(SdkSelection::BOTH.iter().collect::<Vec<_>>(), Platform::ALL);
        assert_eq!(SdkSelection::NONE.iter().count(), 0);
    }
}
