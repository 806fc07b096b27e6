//! The iOS SDK's `MMJwtValidator.checkTokenValidity`: the blank check, `split(separator: ".")`
//! (empty parts dropped), `Data(base64URLEncoded:)` (the SDK maps `-_` to `+/` and pads by the
//! character count, then Foundation's decoder, so the standard alphabet is accepted too),
//! `JSONSerialization`, and the `exp` reading rules (`Int`, then numeric `String`, then
//! `Double`, otherwise "expired"). What each Foundation call does is in `sdk::foundation`.

use super::foundation;
use super::{
    HEADER_MESSAGE, MANDATORY_CLAIMS, MANDATORY_HEADERS, PARTS_MESSAGE, PAYLOAD_MESSAGE, Parsed,
    SdkVerdict,
};
use crate::json::Members;
use serde_json::Value;
use std::borrow::Cow;

pub use foundation::MAX_DEPTH;

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
    if token.chars().all(foundation::is_whitespace_or_newline) {
        return SdkVerdict::structure(super::BLANK_MESSAGE);
    }
    let parts = foundation::split_on_dots(token);
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
        // `now >= NaN` is false: a NaN exp makes the token never expire on iOS.
        Some(exp)
            if (now as f64).partial_cmp(&exp) == Some(std::cmp::Ordering::Less) || exp.is_nan() =>
        {
            SdkVerdict::accepted()
        }
        _ => SdkVerdict::expired(),
    }
}

/// `Data(base64URLEncoded:)` as the SDK's private extension defines it: `-` and `_` mapped to
/// `+` and `/`, `=` appended up to a multiple of four characters, then `Data(base64Encoded:)`.
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
    foundation::base64_decode(s.as_bytes())
}

fn decode_object(part: &str) -> Option<Members> {
    foundation::json_object(&ios_base64_decode(part)?)
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

/// The SDK's `exp` cascade. `None` means "cannot read exp", which iOS treats as expired.
fn read_exp(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => {
            // `as? Int` succeeds for any number exactly representable as Int; otherwise Double.
            // An integer above Int64.max reads as its Double here, as on Apple's Foundation
            // (Linux's bridges it to -1).
            if let Some(i) = n.as_i64() {
                Some(i as f64)
            } else {
                n.as_f64()
            }
        }
        Value::String(s) => foundation::double(s),
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
