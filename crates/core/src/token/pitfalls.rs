//! The mistakes integrators actually make, named with a stable warning code and a one-line fix:
//! a secret used as text instead of hex-decoded, tokens expired when made, lifetimes too short
//! to survive a retry, milliseconds where seconds belong, and a string the SDK gets with more
//! than the token in it; and the shapes a known JWT library leaves by default (no header `typ`,
//! dates as strings or fractions, a lifetime where the expiry time belongs, a header or payload
//! that is not UTF-8), each naming the libraries that make it. Pure: the check core calls these
//! with the report's data and `now`.

use crate::json::Members;
use crate::problem::{Warn, Warning};
use crate::sdk::{self, PerPlatform, SdkSelection, SdkVerdict};
use crate::secret::{HmacKey, Secret};
use base64::Engine as _;
use serde_json::Value;

/// Times above this are milliseconds: 10^11 seconds is the year 5138, 10^11 ms is 1973.
pub const MILLISECONDS_ABOVE: f64 = 1e11;
/// An `exp` under this (2001-09-09) beside a later `iat` is no expiry time: a lifetime in
/// seconds written where the absolute time belongs.
pub const EXP_TIMESTAMP_FROM: i64 = 1_000_000_000;
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
    // Nor with a lifetime in exp's place (EXP_NOT_A_TIMESTAMP says so) and a real iat.
    if exp < EXP_TIMESTAMP_FROM && iat >= EXP_TIMESTAMP_FROM {
        return out;
    }
    let life = i128::from(exp) - i128::from(iat);
    if life <= 0 {
        out.push(Warning::new(
            Warn::ExpiredAtIssue,
            format!(
                "exp is {} iat: the token was expired the moment it was made (jsonwebtoken reads expiresIn given as a string without a unit, e.g. \"60\", as milliseconds; Infobip's iOS example sets exp = now + 0); fix: set exp = iat + the lifetime in seconds, e.g. 15 minutes (expiresIn: 900 or \"15m\")",
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

/// The libraries that leave the header `typ` out unless it is set.
const TYP_OMITTERS: &str = "ruby-jwt, jose (panva), jjwt and Nimbus omit typ unless set";

/// `HEADER_TYP_OMITTED`, `DATE_AS_STRING`, `DATE_AS_FRACTION` and `EXP_NOT_A_TIMESTAMP`: the
/// shapes a known JWT library's defaults leave, each with the libraries that leave it. Only
/// explains: the problems (the SDKs' refusal, the server's type check, the expiry) stay as
/// `check` found them.
pub fn library_warnings(header: Option<&Members>, claims: Option<&Members>) -> Vec<Warning> {
    let mut out = Vec::new();
    if header.is_some_and(|h| h.get("typ").is_none()) {
        out.push(Warning::new(
            Warn::HeaderTypOmitted,
            format!(
                "the header has no typ, so both SDKs refuse the token; {TYP_OMITTERS}; fix: set the header typ to \"JWT\" (ruby-jwt: JWT.encode(payload, key, 'HS256', {{ typ: 'JWT', kid: kid }}); jose: setProtectedHeader({{ alg: 'HS256', typ: 'JWT', kid }}); jjwt: .header().type(\"JWT\"); Nimbus: .type(JOSEObjectType.JWT))"
            ),
        ));
    }
    let Some(claims) = claims else {
        return out;
    };
    let dates = ["iat", "exp", "nbf"];
    let strings: Vec<&str> = dates
        .into_iter()
        .filter(|&n| matches!(claims.get(n), Some(Value::String(_))))
        .collect();
    if let Some(&first) = strings.first() {
        out.push(Warning::new(
            Warn::DateAsString,
            format!(
                "{} {} a JSON string ({first} is {}), not a number of seconds: Go's golang-jwt MapClaims marshals a time.Time as an RFC 3339 string, and .NET writes claims without an integer value type (ClaimValueTypes.Integer64) as strings; fix: write integer seconds (jwt.NewNumericDate(t) or t.Unix() in Go; new Claim(name, value, ClaimValueTypes.Integer64) in .NET)",
                and_list(&strings),
                if strings.len() == 1 { "is" } else { "are" },
                short_value(claims.get(first)),
            ),
        ));
    }
    let fractions: Vec<&str> = dates
        .into_iter()
        .filter(|&n| number(claims, n).is_some_and(|t| t.fract() != 0.0))
        .collect();
    if let Some(&first) = fractions.first() {
        out.push(Warning::new(
            Warn::DateAsFraction,
            format!(
                "{} {} a number with a fraction ({first} is {}), not whole seconds: SwiftJWT (Infobip's iOS example) writes a Date so, as do lcobucci/jwt's default builder, Python's time.time() and Ruby's Time.now.to_f; fix: write integer seconds (Int(date.timeIntervalSince1970), int(time.time()), Time.now.to_i; lcobucci: $config->builder(ChainedFormatter::withUnixTimestampDates()))",
                and_list(&fractions),
                if fractions.len() == 1 { "is" } else { "are" },
                short_value(claims.get(first)),
            ),
        ));
    }
    #[allow(clippy::cast_precision_loss)] // a threshold far inside f64's exact integers
    // With an iat as early, the token's clock is what is off (or it is a test's token), not
    // its lifetime.
    let from = EXP_TIMESTAMP_FROM as f64;
    if number(claims, "exp").is_some_and(|t| t < from)
        && number(claims, "iat").is_none_or(|t| t >= from)
    {
        out.push(Warning::new(
            Warn::ExpNotATimestamp,
            format!(
                "exp is {}, a time before 2001-09-09 (10^9): a lifetime written where the absolute expiry time belongs (jose's setExpirationTime(60) sets exp to 60, 1970-01-01T00:01:00Z; only a string such as '15m' is relative there); fix: set exp = iat + the lifetime (jose: setExpirationTime('15m'))",
                short_value(claims.get("exp")).trim_matches('"'),
            ),
        ));
    }
    out
}

/// `PAYLOAD_NOT_UTF8` for a segment that decodes to `bytes` (`part` is "header" or "payload").
pub fn not_utf8(part: &str, bytes: &[u8]) -> Option<Warning> {
    let e = std::str::from_utf8(bytes).err()?;
    let at = e.valid_up_to();
    Some(Warning::new(
        Warn::PayloadNotUtf8,
        format!(
            "the {part} is not valid UTF-8 (byte 0x{:02X} at offset {at}): it was encoded one byte per character, as btoa does with a non-ASCII sub (Infobip's React Native example turns \"José\" into Latin-1 bytes and throws on \"Žan\"); fix: base64url the UTF-8 bytes of the JSON (Node: Buffer.from(json, 'utf8').toString('base64url'); browsers and React Native: new TextEncoder().encode(json), then base64url those bytes)",
            bytes[at]
        ),
    ))
}

/// "iat", "iat and exp", "iat, exp and nbf".
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A claim's JSON text, cut to a readable length.
fn short_value(v: Option<&Value>) -> String {
    let text = v.map(Value::to_string).unwrap_or_default();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
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
    fn library_shapes() {
        let codes = |h: Option<&str>, c: Option<&str>| -> Vec<Warn> {
            let (h, c) = (h.map(members), c.map(members));
            library_warnings(h.as_ref(), c.as_ref())
                .iter()
                .map(|w| w.code)
                .collect()
        };
        let typed = Some(r#"{"alg":"HS256","typ":"JWT"}"#);
        assert_eq!(
            codes(Some(r#"{"kid":"k","alg":"HS256"}"#), None),
            [Warn::HeaderTypOmitted]
        );
        // A typ of the wrong value is HEADER_TYP_INVALID's business, not an omission.
        assert!(codes(Some(r#"{"alg":"HS256","typ":"jwt"}"#), None).is_empty());
        assert_eq!(
            codes(typed, Some(r#"{"iat":"2026-01-01T00:00:00Z","exp":"x"}"#)),
            [Warn::DateAsString]
        );
        assert_eq!(
            codes(
                typed,
                Some(r#"{"iat":1700000000.5,"exp":1700000900.123456}"#)
            ),
            [Warn::DateAsFraction]
        );
        // A fraction of zero is an integer value, however written.
        assert!(codes(typed, Some(r#"{"iat":1700000000.0,"exp":17e8}"#)).is_empty());
        assert_eq!(
            codes(typed, Some(r#"{"iat":1700000000,"exp":60}"#)),
            [Warn::ExpNotATimestamp]
        );
        assert_eq!(
            codes(typed, Some(r#"{"iat":1700000000,"exp":999999999.5}"#)),
            [Warn::DateAsFraction, Warn::ExpNotATimestamp]
        );
        assert!(codes(typed, Some(r#"{"iat":1700000000,"exp":1000000000}"#)).is_empty());
        assert_eq!(
            codes(typed, Some(r#"{"exp":900}"#)),
            [Warn::ExpNotATimestamp]
        );
        // An iat as early: the clock (or a test) is off, not the lifetime.
        assert!(codes(typed, Some(r#"{"iat":100,"exp":60}"#)).is_empty());
        // Only exp: an nbf or iat of 0 is no lifetime in the wrong place.
        assert!(codes(typed, Some(r#"{"iat":0,"nbf":0,"exp":1700000000}"#)).is_empty());
    }

    #[test]
    fn a_lifetime_in_exp_is_not_also_expired_at_issue() {
        let codes =
            |j: &str| -> Vec<Warn> { time_warnings(&members(j)).iter().map(|w| w.code).collect() };
        assert!(codes(r#"{"iat":1700000000,"exp":60}"#).is_empty());
        // Both early: the difference still means something.
        assert_eq!(codes(r#"{"iat":100,"exp":60}"#), [Warn::ExpiredAtIssue]);
    }

    #[test]
    fn not_utf8_names_the_byte() {
        let w = not_utf8("payload", b"{\"sub\":\"Jos\xe9\"}").unwrap();
        assert_eq!(w.code, Warn::PayloadNotUtf8);
        assert!(
            w.message
                .starts_with("the payload is not valid UTF-8 (byte 0xE9 at offset 11)"),
            "{}",
            w.message
        );
        assert!(not_utf8("header", "{\"sub\":\"José\"}".as_bytes()).is_none());
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
