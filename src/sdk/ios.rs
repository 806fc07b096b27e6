//! The iOS SDK's `MMJwtValidator.checkTokenValidity`: Swift `split` (empty parts dropped),
//! `Data(base64URLEncoded:)` (strict base64 after mapping `-_` to `+/` and padding, so the
//! standard alphabet is accepted too), strict `JSONSerialization`, and the `exp` reading rules
//! (`Int`, then numeric `String`, then `Double`, otherwise "expired").

use super::{
    HEADER_MESSAGE, MANDATORY_CLAIMS, MANDATORY_HEADERS, PARTS_MESSAGE, PAYLOAD_MESSAGE, Parsed,
    SdkVerdict,
};
use crate::json::Members;
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::Value;
use std::borrow::Cow;

/// `Data(base64Encoded:)`: canonical padding, standard alphabet, no whitespace. Foundation is
/// not known to check the unused trailing bits, so they are allowed.
const FOUNDATION: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

/// Judges `token` as the iOS SDK would at Unix time `now` (seconds; iOS compares fractional
/// seconds, which `now` as a whole second reproduces exactly).
pub fn validate(token: &str, now: i64) -> SdkVerdict {
    validate_parsed(token, now, &Parsed::default())
}

fn read<'a>(part: &str, parsed: Option<&'a Members>) -> Option<Cow<'a, Members>> {
    match parsed {
        Some(m) => Some(Cow::Borrowed(m)),
        None => decode_object(part).map(Cow::Owned),
    }
}

/// [`validate`], reusing segments the server layer already parsed.
pub fn validate_parsed(token: &str, now: i64, parsed: &Parsed<'_>) -> SdkVerdict {
    if token.chars().all(is_foundation_whitespace) {
        return SdkVerdict::structure(super::BLANK_MESSAGE);
    }
    let parts: Vec<&str> = token.split('.').filter(|p| !p.is_empty()).collect();
    if parts.len() != 3 {
        return SdkVerdict::structure(PARTS_MESSAGE);
    }
    let Some(header) = read(parts[0], parsed.header_for(parts[0])) else {
        return SdkVerdict::structure(HEADER_MESSAGE);
    };
    let missing = missing_sorted(&header, &MANDATORY_HEADERS);
    if !missing.is_empty() {
        return SdkVerdict::structure(format!("Missing JWT header fields: {missing}"));
    }
    let Some(payload) = read(parts[1], parsed.payload_for(parts[1])) else {
        return SdkVerdict::structure(PAYLOAD_MESSAGE);
    };
    let missing = missing_sorted(&payload, &MANDATORY_CLAIMS);
    if !missing.is_empty() {
        return SdkVerdict::structure(format!("Missing JWT claims: {missing}"));
    }
    match read_exp(payload.get("exp")) {
        // `now >= NaN` is false: a "NaN" string makes the token never expire on iOS.
        Some(exp)
            if (now as f64).partial_cmp(&exp) == Some(std::cmp::Ordering::Less) || exp.is_nan() =>
        {
            SdkVerdict::accepted()
        }
        _ => SdkVerdict::expired(),
    }
}

/// `CharacterSet.whitespacesAndNewlines`: Unicode Z* plus U+0009–U+000D and U+0085.
fn is_foundation_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | ' '
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
    )
}

/// `Data(base64URLEncoded:)` as the SDK's private extension defines it.
pub fn ios_base64_decode(part: &str) -> Option<Vec<u8>> {
    let mut s: String = part
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let rem = part.chars().count() % 4;
    if rem > 0 {
        s.extend(std::iter::repeat_n('=', 4 - rem));
    }
    FOUNDATION.decode(s).ok()
}

fn decode_object(part: &str) -> Option<Members> {
    let bytes = ios_base64_decode(part)?;
    // JSONSerialization skips a UTF-8 byte order mark; repeated names keep the last value.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    crate::json::parse_object(bytes).ok().map(|o| o.members)
}

/// The missing names, sorted, in Swift's array description: `["kid", "typ"]`.
fn missing_sorted(obj: &Members, names: &[&str]) -> String {
    let mut missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !obj.contains_key(n))
        .collect();
    if missing.is_empty() {
        return String::new();
    }
    missing.sort_unstable();
    let quoted: Vec<String> = missing.iter().map(|n| format!("\"{n}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// Swift's `Double(String)`: the whole string, no surrounding whitespace, an optional sign,
/// then a decimal literal, `inf`/`infinity`/`nan` in any case, or a hexadecimal literal whose
/// binary exponent is optional (`"0x7FFFFFFF"` is 2147483647: a valid `exp` until 2038).
fn swift_double(s: &str) -> Option<f64> {
    if s.is_empty() || s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
        return None;
    }
    let (negative, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = match body.as_bytes() {
        [b'0', b'x' | b'X', rest @ ..] => {
            super::javanum::parse_hex_float(rest, super::javanum::HexDialect::Swift)?
        }
        // Rust's parser reads what strtod reads in decimal, inf and nan included; a second
        // sign is refused by it.
        _ => body
            .parse::<f64>()
            .ok()
            .filter(|_| !body.starts_with(['+', '-']))?,
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The SDK's `exp` cascade. `None` means "cannot read exp", which iOS treats as expired.
fn read_exp(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => {
            // `as? Int` succeeds for any number exactly representable as Int; otherwise Double.
            if let Some(i) = n.as_i64() {
                Some(i as f64)
            } else {
                n.as_f64()
            }
        }
        Value::String(s) => swift_double(s),
        // NSNumber booleans bridge to Int (true = 1, false = 0).
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_accepts_both_alphabets_and_padding() {
        assert_eq!(ios_base64_decode("YWJj").unwrap(), b"abc");
        assert_eq!(ios_base64_decode("YQ").unwrap(), b"a");
        assert_eq!(ios_base64_decode("YQ==").unwrap(), b"a");
        assert_eq!(ios_base64_decode("YQ=").unwrap(), b"a");
        assert_eq!(ios_base64_decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(ios_base64_decode("+/8").unwrap(), vec![0xfb, 0xff]);
        assert!(ios_base64_decode("Y").is_none());
        assert!(ios_base64_decode("YW Jj").is_none());
    }

    #[test]
    fn missing_names_are_sorted_swift_arrays() {
        let m = crate::json::parse_object(br#"{"alg":"HS256"}"#)
            .unwrap()
            .members;
        assert_eq!(missing_sorted(&m, &MANDATORY_HEADERS), r#"["kid", "typ"]"#);
    }

    #[test]
    fn exp_cascade() {
        let v = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        assert_eq!(read_exp(Some(&v("1900000000"))), Some(1.9e9));
        assert_eq!(read_exp(Some(&v("\"1900000000\""))), Some(1.9e9));
        assert_eq!(read_exp(Some(&v("1900000000.5"))), Some(1_900_000_000.5));
        assert_eq!(read_exp(Some(&v("\"not-a-number\""))), None);
        assert_eq!(read_exp(Some(&v("null"))), None);
        assert_eq!(read_exp(Some(&v("true"))), Some(1.0));
        assert!(read_exp(Some(&v("\"NaN\""))).unwrap().is_nan());
        assert_eq!(read_exp(Some(&v("\" 5\""))), None);
        assert_eq!(read_exp(Some(&v("\"0x7FFFFFFF\""))), Some(2_147_483_647.0));
        assert_eq!(read_exp(Some(&v("\"-0x1p4\""))), Some(-16.0));
        assert_eq!(read_exp(Some(&v("\"+-1\""))), None);
        assert_eq!(read_exp(Some(&v("\"1e9\""))), Some(1e9));
    }
}
