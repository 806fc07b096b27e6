//! The mistakes integrators actually make, named with a stable warning code and a one-line fix:
//! a secret used as text instead of hex-decoded, tokens expired when made, lifetimes too short
//! to survive a retry, milliseconds where seconds belong, and a string the SDK gets with more
//! than the token in it. Pure: the check core calls these with the report's data and `now`.

use crate::json::Members;
use crate::problem::{Warn, Warning};
use crate::sdk::{self, PerPlatform, SdkSelection, SdkVerdict};
use crate::secret::{HmacKey, Secret};
use base64::Engine as _;
use serde_json::Value;

/// Times above this are milliseconds: 10^11 seconds is the year 5138, 10^11 ms is 1973.
pub const MILLISECONDS_ABOVE: f64 = 1e11;
/// Lifetimes under this many seconds can run out between the SDK's check and a retry.
pub const SHORT_LIFETIME_BELOW: i64 = 60;

const HEX_DECODERS: &str = "HexFormat.of().parseHex, hexStringToData, CryptoJS.enc.Hex.parse";

/// The keys a mistaken signer would have used with a secret: its hex text's own bytes (in
/// lower and upper case, as the portal or a copy may show it) and the base64 decoding of that
/// text (jwt.io's "secret base64 encoded"). Never shown; `Debug` is redacted.
///
/// Built on first use: only a signature that fails needs them, and making the four keys up
/// front would be a visible share of every `mmjwt check` start. Until then the secret is kept
/// as [`Secret`], which is wiped when this is dropped.
#[derive(Clone)]
pub struct KeyVariants {
    secret: Secret,
    keys: std::sync::OnceLock<MistakenKeys>,
}

#[derive(Clone)]
struct MistakenKeys {
    text: Vec<HmacKey>,
    base64: Vec<HmacKey>,
}

impl std::fmt::Debug for KeyVariants {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyVariants([REDACTED])")
    }
}

/// Which wrong key made the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misuse {
    /// HMAC keyed with the hex string's characters.
    HexText,
    /// HMAC keyed with the hex string read as base64.
    Base64Decoded,
}

impl KeyVariants {
    pub fn from_secret(secret: &Secret) -> KeyVariants {
        KeyVariants {
            secret: secret.clone(),
            keys: std::sync::OnceLock::new(),
        }
    }

    fn keys(&self) -> &MistakenKeys {
        self.keys.get_or_init(|| {
            // The text copies are wiped once the keys are made.
            let lower = zeroize::Zeroizing::new(self.secret.expose_hex());
            let upper = zeroize::Zeroizing::new(lower.to_ascii_uppercase());
            let mut texts = vec![&lower];
            if *lower != *upper {
                texts.push(&upper);
            }
            let b64 = base64::engine::GeneralPurpose::new(
                &base64::alphabet::STANDARD,
                base64::engine::GeneralPurposeConfig::new()
                    .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
                    .with_decode_allow_trailing_bits(true),
            );
            let base64 = texts
                .iter()
                .filter_map(|t| b64.decode(t.as_bytes()).ok().map(zeroize::Zeroizing::new))
                .filter(|k| !k.is_empty())
                .map(|k| HmacKey::new(&k))
                .collect();
            let text = texts.iter().map(|t| HmacKey::new(t.as_bytes())).collect();
            MistakenKeys { text, base64 }
        })
    }

    /// Which mistaken key, if any, made `signature` over `signing_input`.
    pub fn diagnose(&self, signing_input: &[u8], signature: &[u8]) -> Option<Misuse> {
        let keys = self.keys();
        if keys.text.iter().any(|k| k.verify(signing_input, signature)) {
            Some(Misuse::HexText)
        } else if keys
            .base64
            .iter()
            .any(|k| k.verify(signing_input, signature))
        {
            Some(Misuse::Base64Decoded)
        } else {
            None
        }
    }
}

impl Misuse {
    /// The signature problem's message (the sandbox answers with it too).
    pub fn problem_message(self) -> &'static str {
        match self {
            Misuse::HexText => {
                "the HMAC-SHA256 signature does not match the secret: it was made with the secret's hex text as the key (SECRET_USED_AS_TEXT); sign with the hex-decoded bytes"
            }
            Misuse::Base64Decoded => {
                "the HMAC-SHA256 signature does not match the secret: it was made with the secret read as base64 (SECRET_USED_AS_TEXT); sign with the hex-decoded bytes"
            }
        }
    }

    pub fn warning(self) -> Warning {
        let what = match self {
            Misuse::HexText => "the signature matches HMAC keyed with the secret's hex text itself",
            Misuse::Base64Decoded => {
                "the signature matches HMAC keyed with the secret's hex text decoded as base64 (jwt.io's \"secret base64 encoded\")"
            }
        };
        Warning::new(
            Warn::SecretUsedAsText,
            format!(
                "{what}, not with the bytes the hex encodes; fix: hex-decode the secret and sign with those bytes ({HEX_DECODERS}; jwt.io has no hex option)"
            ),
        )
    }
}

/// A NumericDate-ish member as a number (integers and floats; strings are not dates here).
fn number(claims: &Members, name: &str) -> Option<f64> {
    match claims.get(name)? {
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// `EXPIRED_AT_ISSUE`, `SHORT_LIFETIME` and `TIME_IN_MILLISECONDS` for a payload.
pub fn time_warnings(claims: &Members) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut in_ms = false;
    for name in ["iat", "exp", "nbf"] {
        let Some(t) = number(claims, name) else {
            continue;
        };
        if t.abs() > MILLISECONDS_ABOVE {
            in_ms |= name != "nbf";
            out.push(Warning::new(
                Warn::TimeInMilliseconds,
                format!(
                    "{name} is {}, which is milliseconds, not seconds (10^11 seconds is the year 5138); fix: divide by 1000 (Math.floor(Date.now() / 1000), System.currentTimeMillis() / 1000, Date().timeIntervalSince1970)",
                    claims.get(name).map(Value::to_string).unwrap_or_default()
                ),
            ));
        }
    }
    // With one of them in milliseconds the difference means nothing.
    if in_ms {
        return out;
    }
    let (Some(iat), Some(exp)) = (
        claims.get("iat").and_then(Value::as_i64),
        claims.get("exp").and_then(Value::as_i64),
    ) else {
        return out;
    };
    let life = i128::from(exp) - i128::from(iat);
    if life <= 0 {
        out.push(Warning::new(
            Warn::ExpiredAtIssue,
            format!(
                "exp is {} iat: the token was expired the moment it was made (Infobip's iOS example sets exp = now + 0); fix: set exp = iat + the lifetime, e.g. 15 minutes",
                if life == 0 {
                    "equal to".to_string()
                } else {
                    format!("{}s before", -life)
                }
            ),
        ));
    } else if life < i128::from(SHORT_LIFETIME_BELOW) {
        out.push(Warning::new(
            Warn::ShortLifetime,
            format!(
                "the token lives only {life}s (exp - iat): it can expire between the SDK's check and a retry of the call; fix: issue it for a few minutes at least (mmjwt gen defaults to 15m)"
            ),
        ));
    }
    out
}

/// `AS_GIVEN_REFUSED`: `raw` is what the app would pass to `setUserDataJwt`, `cleaned` what
/// `check` judged after removing `removed`. One warning per selected SDK whose answer for the
/// raw string is a refusal different from its answer for the cleaned one.
pub fn as_given(
    raw: &str,
    cleaned: &PerPlatform<Option<SdkVerdict>>,
    removed: &[String],
    now: i64,
    sdks: SdkSelection,
) -> Vec<Warning> {
    let mut out = Vec::new();
    // The emulations are bounded by the size cap like `check` itself.
    if raw.len() > super::MAX_TOKEN_BYTES {
        return out;
    }
    for platform in sdks.iter() {
        let given = sdk::validate(platform, raw, now);
        if given.accepted || Some(&given) == cleaned[platform].as_ref() {
            continue;
        }
        let code = given.code.map_or("", crate::problem::Code::as_str);
        let message = given.message.as_deref().unwrap_or("");
        let cleaning = if removed.is_empty() {
            String::new()
        } else {
            format!(" before mmjwt's cleaning ({})", removed.join("; "))
        };
        out.push(Warning::new(
            Warn::AsGivenRefused,
            format!(
                "{} refuses the string as given{cleaning}: {code} \"{message}\"; fix: pass only the token to setUserDataJwt",
                platform.display()
            ),
        ));
    }
    out
}

/// `EMPTY_TOKEN_CLEARS`: `raw`, what the app would pass to `setUserDataJwt`, is the empty
/// string, which today's plugins take as "clear the token" (spec 9.4) instead of handing it to
/// the SDK whose verdicts the report shows. Only the empty string: a whitespace-only one still
/// reaches the SDK.
pub fn empty_token(raw: &str) -> Option<Warning> {
    use crate::sdk::plugins::Plugin;
    if !raw.is_empty() {
        return None;
    }
    let [flutter, react_native, cordova] = Plugin::ALL.map(Plugin::clears_empty_since);
    Some(Warning::new(
        Warn::EmptyTokenClears,
        format!(
            "the token is empty: since Flutter {flutter}, React Native {react_native} and Cordova {cordova}, setUserDataJwt(\"\") (and null) clears the token instead of reaching the SDK: no error, and the following calls go with App <applicationCode> authorization, which an App Profile that allows only requests with JWT refuses with HTTP 401, so the app lands in its default: branch, not in JWT_TOKEN_STRUCTURE_INVALID (the SDK verdicts above are what older plugins, and init on all but React Native iOS, hand over); fix: have the backend answer an error instead of an empty token, and never pass an empty one"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(json: &str) -> Members {
        crate::json::parse_object(json.as_bytes()).unwrap().members
    }

    #[test]
    fn lifetimes() {
        let codes =
            |j: &str| -> Vec<Warn> { time_warnings(&members(j)).iter().map(|w| w.code).collect() };
        assert_eq!(codes(r#"{"iat":100,"exp":100}"#), [Warn::ExpiredAtIssue]);
        assert_eq!(codes(r#"{"iat":100,"exp":90}"#), [Warn::ExpiredAtIssue]);
        assert_eq!(codes(r#"{"iat":100,"exp":159}"#), [Warn::ShortLifetime]);
        assert!(codes(r#"{"iat":100,"exp":160}"#).is_empty());
        assert_eq!(
            codes(r#"{"iat":1700000000000,"exp":1700000900000}"#),
            [Warn::TimeInMilliseconds, Warn::TimeInMilliseconds]
        );
        assert_eq!(
            codes(r#"{"iat":100,"exp":900,"nbf":1e12}"#),
            [Warn::TimeInMilliseconds]
        );
        assert!(codes(r#"{"iat":99999999000,"exp":99999999900}"#).is_empty());
    }

    #[test]
    fn variants_find_the_mistaken_keys() {
        let s =
            Secret::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
                .unwrap();
        let v = KeyVariants::from_secret(&s);
        let msg = b"a.b";
        let as_text = HmacKey::new(s.expose_hex().as_bytes()).sign(msg);
        assert_eq!(v.diagnose(msg, &as_text), Some(Misuse::HexText));
        let b64 = base64::engine::general_purpose::STANDARD
            .decode(s.expose_hex())
            .unwrap();
        assert_eq!(
            v.diagnose(msg, &HmacKey::new(&b64).sign(msg)),
            Some(Misuse::Base64Decoded)
        );
        assert_eq!(v.diagnose(msg, &s.hmac_key().sign(msg)), None);
        assert!(!format!("{v:?}").contains("0001"));
    }

    #[test]
    fn only_the_empty_string_clears() {
        let w = empty_token("").unwrap();
        assert_eq!(w.code, Warn::EmptyTokenClears);
        for part in [
            "Flutter 9.8.0",
            "React Native 14.9.1",
            "Cordova 8.4.0",
            "App <applicationCode> authorization",
            "HTTP 401",
            "default: branch",
            "not in JWT_TOKEN_STRUCTURE_INVALID",
        ] {
            assert!(w.message.contains(part), "{part}: {}", w.message);
        }
        for not_empty in [" ", "\t", "\u{a0}", "\u{200b}", "a"] {
            assert_eq!(empty_token(not_empty), None, "{not_empty:?}");
        }
    }
}
