//! The problem-code vocabulary: every reason `check`, the sandbox and `replay` can give for
//! refusing a token, with its stable name and the exit code it maps to.
//!
//! The names are a public contract (`--json`, the sandbox's `messageId`), so they live here
//! and nowhere else.

use crate::error::exit;
use serde::Serialize;

/// Which layer of judgement found a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The Android SDK's client-side validation.
    Android,
    /// The iOS SDK's client-side validation.
    Ios,
    /// What the server (RFC 7515/7519 plus the Infobip profile) would reject.
    Server,
    /// A value the user said to expect (`--user-id`, `--app-code`, `--key-id`).
    Expectation,
    /// The HMAC-SHA256 signature.
    Signature,
}

impl Source {
    /// The name `--json` uses (the serde form).
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Android => "android",
            Source::Ios => "ios",
            Source::Server => "server",
            Source::Expectation => "expectation",
            Source::Signature => "signature",
        }
    }
}

macro_rules! codes {
    ($($variant:ident => $name:literal, $exit:expr, $doc:literal;)*) => {
        /// A stable, UPPER_SNAKE problem code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable name used in JSON and by the sandbox.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The process exit code this problem maps to (see the README's table).
            pub fn exit_code(self) -> u8 {
                match self { $(Code::$variant => $exit,)* }
            }

            /// One line saying what the code means.
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $doc,)* }
            }

            /// Parses a stable name back into a code.
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $($name => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    StructureInvalid => "JWT_TOKEN_STRUCTURE_INVALID", exit::SDK_STRUCTURE, "The token is not three segments of base64url JSON objects with every mandatory header and claim (the SDKs' own code).";
    Expired => "JWT_TOKEN_EXPIRED", exit::SDK_EXPIRED, "The token's exp is not after now (the SDKs' own code).";
    SignatureInvalid => "SIGNATURE_INVALID", exit::SIGNATURE, "The HMAC-SHA256 signature does not match the secret (or is not 32 bytes).";
    TokenTooLarge => "TOKEN_TOO_LARGE", exit::SERVER_REJECT, "The token is longer than the size cap and was refused before decoding.";
    NotCanonicalBase64url => "NOT_CANONICAL_BASE64URL", 13, "A segment uses padding, the standard alphabet, whitespace or non-zero trailing bits instead of canonical base64url.";
    DuplicateMember => "DUPLICATE_MEMBER", exit::SERVER_REJECT, "The header or the payload names the same member twice.";
    AlgNotAllowed => "ALG_NOT_ALLOWED", exit::SERVER_REJECT, "The header alg is not exactly HS256 (none and every other algorithm are refused).";
    HeaderTypInvalid => "HEADER_TYP_INVALID", exit::SERVER_REJECT, "The header typ is not \"JWT\".";
    CritUnsupported => "CRIT_UNSUPPORTED", exit::SERVER_REJECT, "The header has a crit member; no extension is understood.";
    TypNotBearer => "TYP_NOT_BEARER", exit::SERVER_REJECT, "The claim typ is not \"Bearer\".";
    ClaimTypeInvalid => "CLAIM_TYPE_INVALID", exit::SERVER_REJECT, "A header member or claim has the wrong JSON type (e.g. a string exp, a numeric kid).";
    ClaimEmpty => "CLAIM_EMPTY", exit::SERVER_REJECT, "kid, sub, infobip-api-key or jti is an empty string.";
    IatInFuture => "IAT_IN_FUTURE", exit::SERVER_REJECT, "iat is later than now (plus leeway).";
    ExpBeforeIat => "EXP_BEFORE_IAT", exit::SERVER_REJECT, "exp is not after iat.";
    NotYetValid => "NOT_YET_VALID", exit::SERVER_REJECT, "nbf is later than now (plus leeway).";
    KidMismatch => "KID_MISMATCH", exit::SERVER_REJECT, "The header kid differs from the expected key id.";
    KidUnknown => "KID_UNKNOWN", exit::SERVER_REJECT, "No configured key has the header's kid (sandbox).";
    AppCodeMismatch => "APP_CODE_MISMATCH", exit::SERVER_REJECT, "The infobip-api-key claim differs from the expected application code.";
    SubMismatch => "SUB_MISMATCH", exit::SERVER_REJECT, "The sub claim differs from the expected external user id.";
    SignatureNotVerified => "SIGNATURE_NOT_VERIFIED", exit::NOT_VERIFIED, "No secret was given, so the signature was not verified (a failure only with --require-signature).";
}

impl Code {
    /// Which problem is *the* answer when a token has several (the sandbox's `messageId`, the
    /// primary problem of a report): the lowest rank wins, the first found among equals. The
    /// most basic fault comes first, the order the SDKs and a server meet them in: a malformed
    /// token, an expired one, a forged one, then everything the server refuses for other
    /// reasons, and last a signature nobody could check. Written out rather than borrowed from
    /// the exit codes so that renumbering an exit code cannot change what the sandbox says (a
    /// test holds the two orders equal today).
    pub fn precedence(self) -> u8 {
        match self {
            Code::StructureInvalid => 0,
            Code::Expired => 1,
            Code::SignatureInvalid => 2,
            Code::TokenTooLarge
            | Code::NotCanonicalBase64url
            | Code::DuplicateMember
            | Code::AlgNotAllowed
            | Code::HeaderTypInvalid
            | Code::CritUnsupported
            | Code::TypNotBearer
            | Code::ClaimTypeInvalid
            | Code::ClaimEmpty
            | Code::IatInFuture
            | Code::ExpBeforeIat
            | Code::NotYetValid
            | Code::KidMismatch
            | Code::KidUnknown
            | Code::AppCodeMismatch
            | Code::SubMismatch => 3,
            Code::SignatureNotVerified => 4,
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A stable, UPPER_SNAKE warning code: something worth fixing that does not by itself make the
/// token invalid (or that explains why it is), never changing the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Warn {
    /// The signature matches HMAC keyed with the secret's hex text (or its base64 decoding)
    /// instead of the hex-decoded bytes.
    SecretUsedAsText,
    /// `exp <= iat`: the token was expired when it was made.
    ExpiredAtIssue,
    /// `exp - iat` is under 60 seconds.
    ShortLifetime,
    /// `iat`, `exp` or `nbf` is over 10^11: milliseconds, not seconds.
    TimeInMilliseconds,
    /// The string as given (before `check` cleaned it) gets a different SDK refusal.
    AsGivenRefused,
    /// `jku`, `x5u`, `jwk` or `x5c` in the header: ignored, keys are never taken from a token.
    KeyReferenceIgnored,
    /// `aud` in the payload: not part of Infobip's profile, not checked.
    AudNotChecked,
    /// `iss` differs from `infobip-api-key`.
    IssDiffers,
    /// The header or payload nests so deep that Android's org.json, which recurses once per
    /// level, may overflow a device thread's stack (nothing in the SDK catches
    /// `StackOverflowError`) instead of giving the verdict shown.
    AndroidStackRisk,
    /// The header has no `typ` (ruby-jwt, jose, jjwt and Nimbus leave it out unless set).
    HeaderTypOmitted,
    /// `iat`, `exp` or `nbf` is a JSON string (Go's `MapClaims` with a `time.Time`).
    DateAsString,
    /// `iat`, `exp` or `nbf` is a number with a fraction (SwiftJWT, lcobucci/jwt, `time.time()`).
    DateAsFraction,
    /// `exp` is before 10^9 (2001-09-09) but `iat` is not: a lifetime written where the
    /// absolute time belongs.
    ExpNotATimestamp,
    /// The header or payload decodes to bytes that are not UTF-8 (`btoa` on a non-ASCII `sub`).
    PayloadNotUtf8,
    /// The token is the empty string: today's plugins clear the token for it instead of
    /// handing it to the SDK, and the calls go with App authorization.
    EmptyTokenClears,
}

impl Warn {
    /// Every warning code, in documentation order.
    pub const ALL: &'static [Warn] = &[
        Warn::SecretUsedAsText,
        Warn::ExpiredAtIssue,
        Warn::ShortLifetime,
        Warn::TimeInMilliseconds,
        Warn::AsGivenRefused,
        Warn::KeyReferenceIgnored,
        Warn::AudNotChecked,
        Warn::IssDiffers,
        Warn::AndroidStackRisk,
        Warn::HeaderTypOmitted,
        Warn::DateAsString,
        Warn::DateAsFraction,
        Warn::ExpNotATimestamp,
        Warn::PayloadNotUtf8,
        Warn::EmptyTokenClears,
    ];

    /// The stable name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Warn::SecretUsedAsText => "SECRET_USED_AS_TEXT",
            Warn::ExpiredAtIssue => "EXPIRED_AT_ISSUE",
            Warn::ShortLifetime => "SHORT_LIFETIME",
            Warn::TimeInMilliseconds => "TIME_IN_MILLISECONDS",
            Warn::AsGivenRefused => "AS_GIVEN_REFUSED",
            Warn::KeyReferenceIgnored => "KEY_REFERENCE_IGNORED",
            Warn::AudNotChecked => "AUD_NOT_CHECKED",
            Warn::IssDiffers => "ISS_DIFFERS",
            Warn::AndroidStackRisk => "ANDROID_STACK_RISK",
            Warn::HeaderTypOmitted => "HEADER_TYP_OMITTED",
            Warn::DateAsString => "DATE_AS_STRING",
            Warn::DateAsFraction => "DATE_AS_FRACTION",
            Warn::ExpNotATimestamp => "EXP_NOT_A_TIMESTAMP",
            Warn::PayloadNotUtf8 => "PAYLOAD_NOT_UTF8",
            Warn::EmptyTokenClears => "EMPTY_TOKEN_CLEARS",
        }
    }

    /// Parses a stable name back into a code.
    pub fn from_name(name: &str) -> Option<Warn> {
        Warn::ALL.iter().copied().find(|w| w.as_str() == name)
    }
}

impl std::fmt::Display for Warn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Warn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One warning: its code and a message that ends with the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub code: Warn,
    pub message: String,
}

impl Warning {
    pub fn new(code: Warn, message: impl Into<String>) -> Self {
        Warning {
            code,
            message: message.into(),
        }
    }
}

/// One finding: a code, the words for it, and the layer that found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: Code,
    pub message: String,
    pub source: Source,
}

impl Problem {
    pub fn new(code: Code, source: Source, message: impl Into<String>) -> Self {
        Problem {
            code,
            message: message.into(),
            source,
        }
    }
}

/// The lowest exit code among `problems`, or `None` when there are none.
pub fn worst_exit(problems: &[Problem]) -> Option<u8> {
    problems.iter().map(|p| p.code.exit_code()).min()
}

/// The findings `mmjwt audit` adds to the problem codes: what only a look at an issuer, across
/// many tokens and against this machine's clock, can tell. Stable names, like [`Code`]'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuditCode {
    /// The same `jti` in two or more tokens.
    JtiReused,
    /// `iat` further than `--max-skew` from this machine's clock at the response.
    ClockSkew,
    /// `exp - iat` below `--min-lifetime`.
    LifetimeTooShort,
    /// `exp - iat` above `--max-lifetime`.
    LifetimeTooLong,
    /// The tokens' lifetimes differ by more than a second.
    LifetimeInconsistent,
    /// The tokens carry more than one `kid`.
    KidInconsistent,
    /// No token came back: an HTTP status, an exit status, a timeout, or no token in the answer.
    IssuerFailed,
}

impl AuditCode {
    /// Every audit code, in documentation order.
    pub const ALL: &'static [AuditCode] = &[
        AuditCode::JtiReused,
        AuditCode::ClockSkew,
        AuditCode::LifetimeTooShort,
        AuditCode::LifetimeTooLong,
        AuditCode::LifetimeInconsistent,
        AuditCode::KidInconsistent,
        AuditCode::IssuerFailed,
    ];

    /// The stable name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditCode::JtiReused => "JTI_REUSED",
            AuditCode::ClockSkew => "CLOCK_SKEW",
            AuditCode::LifetimeTooShort => "LIFETIME_TOO_SHORT",
            AuditCode::LifetimeTooLong => "LIFETIME_TOO_LONG",
            AuditCode::LifetimeInconsistent => "LIFETIME_INCONSISTENT",
            AuditCode::KidInconsistent => "KID_INCONSISTENT",
            AuditCode::IssuerFailed => "ISSUER_FAILED",
        }
    }

    /// Every audit finding is a server-side kind of refusal (exit 13): the token, or the way
    /// tokens are issued, is not what the server and the SDKs can rely on.
    pub fn exit_code(self) -> u8 {
        crate::error::exit::SERVER_REJECT
    }

    /// One line saying what the code means.
    pub fn description(self) -> &'static str {
        match self {
            AuditCode::JtiReused => {
                "Two or more tokens carry the same jti (a cached token, or a jti that is not random)."
            }
            AuditCode::ClockSkew => {
                "iat is further than --max-skew from this machine's clock at the moment of the response, in either direction."
            }
            AuditCode::LifetimeTooShort => {
                "exp - iat is below --min-lifetime: the token can expire between the SDK's check and the server's."
            }
            AuditCode::LifetimeTooLong => {
                "exp - iat is above --max-lifetime: a leaked token stays usable for too long."
            }
            AuditCode::LifetimeInconsistent => {
                "The tokens' lifetimes (exp - iat) differ by more than one second."
            }
            AuditCode::KidInconsistent => "The tokens carry more than one kid.",
            AuditCode::IssuerFailed => {
                "The issuer gave no token: an HTTP status other than 2xx, a non-zero exit, a timeout, or no token in the response."
            }
        }
    }

    /// Parses a stable name back into a code.
    pub fn from_name(name: &str) -> Option<AuditCode> {
        AuditCode::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

impl std::fmt::Display for AuditCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for AuditCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for &code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate name {code}");
            assert_eq!(Code::from_name(code.as_str()), Some(code));
            assert!(code.exit_code() >= 10);
        }
        assert_eq!(Code::from_name("NOPE"), None);
    }

    #[test]
    fn audit_names_round_trip_and_never_collide_with_problem_codes() {
        let mut seen = std::collections::HashSet::new();
        for &code in AuditCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate name {code}");
            assert_eq!(AuditCode::from_name(code.as_str()), Some(code));
            assert_eq!(Code::from_name(code.as_str()), None);
            assert_eq!(code.exit_code(), 13);
        }
        assert_eq!(AuditCode::from_name("NOPE"), None);
        // Nor with the warning codes: one name, one meaning across every output.
        for &w in Warn::ALL {
            assert_eq!(AuditCode::from_name(w.as_str()), None, "{w}");
        }
    }

    #[test]
    fn warning_names_round_trip_and_differ_from_problem_names() {
        let mut seen = std::collections::HashSet::new();
        for &w in Warn::ALL {
            assert!(seen.insert(w.as_str()), "duplicate name {w}");
            assert_eq!(Warn::from_name(w.as_str()), Some(w));
            assert_eq!(
                Code::from_name(w.as_str()),
                None,
                "{w} is also a problem code"
            );
        }
        assert_eq!(Warn::from_name("NOPE"), None);
    }

    #[test]
    fn precedence_follows_the_exit_codes() {
        for &a in Code::ALL {
            for &b in Code::ALL {
                assert_eq!(
                    a.precedence().cmp(&b.precedence()),
                    a.exit_code().cmp(&b.exit_code()),
                    "{a} and {b}"
                );
            }
        }
    }

    #[test]
    fn worst_exit_is_the_lowest() {
        let ps = [
            Problem::new(Code::SignatureInvalid, Source::Signature, "x"),
            Problem::new(Code::Expired, Source::Server, "y"),
        ];
        assert_eq!(worst_exit(&ps), Some(11));
        assert_eq!(worst_exit(&[]), None);
    }
}
