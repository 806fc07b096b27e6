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

/// The payload's members as the SDK reads them (its split, base64 and `JSONSerialization`), if
/// it has a second part that reads as an object.
pub fn payload_members(token: &str) -> Option<Members> {
    decode_object(foundation::split_on_dots(token).get(1)?)
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

    // One test per class of spec 4.6 where the real code showed what Foundation does.

    const NOW: i64 = 1_700_000_000;
    const HEADER: &str = r#"{"alg":"HS256","typ":"JWT","kid":"k"}"#;

    fn b64(bytes: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    fn payload(exp: &str) -> String {
        format!(
            r#"{{"typ":"Bearer","sub":"u","infobip-api-key":"a","iat":{NOW},"exp":{exp},"jti":"j"}}"#
        )
    }

    fn token(payload: &str) -> String {
        format!("{}.{}.sig", b64(HEADER.as_bytes()), b64(payload.as_bytes()))
    }

    fn later() -> String {
        payload(&(NOW + 600).to_string())
    }

    #[test]
    fn extra_padding_is_accepted() {
        assert_eq!(ios_base64_decode("YWJj==").unwrap(), b"abc");
        assert_eq!(ios_base64_decode("YQ=====").unwrap(), b"a");
        assert_eq!(ios_base64_decode("AAAA====").unwrap(), [0, 0, 0]);
        let h = b64(HEADER.as_bytes());
        let p = b64(later().as_bytes());
        let padded = |after_header: &str, after_payload: &str| {
            format!("{h}{after_header}.{p}{after_payload}.s")
        };
        assert_eq!(validate(&padded("===", ""), NOW), SdkVerdict::accepted());
        assert_eq!(validate(&padded("", "======"), NOW), SdkVerdict::accepted());
        // Padding is only allowed at the end.
        assert!(ios_base64_decode("YQ==YWJj").is_none());
    }

    /// A Linux artefact mmjwt does not follow: Apple's decoder refuses a last quantum of one
    /// character, which the SDK pads with `===`.
    #[test]
    fn a_segment_of_length_one_mod_four_stays_refused() {
        assert!(ios_base64_decode("YWJjY").is_none());
        let p = b64(later().as_bytes());
        let h = format!("{}AAA", b64(HEADER.as_bytes()));
        assert_eq!(h.len() % 4, 1);
        assert_eq!(
            validate(&format!("{h}.{p}.sig"), NOW),
            SdkVerdict::structure(HEADER_MESSAGE)
        );
    }

    #[test]
    fn json_nests_up_to_512_levels() {
        let nested = |levels: usize| {
            // The payload object is a level of its own.
            let inner = format!("{}1{}", "[".repeat(levels - 1), "]".repeat(levels - 1));
            let p = later();
            token(&format!("{},\"n\":{inner}}}", &p[..p.len() - 1]))
        };
        assert_eq!(MAX_DEPTH, 512);
        assert_eq!(validate(&nested(512), NOW), SdkVerdict::accepted());
        assert_eq!(
            validate(&nested(513), NOW),
            SdkVerdict::structure(PAYLOAD_MESSAGE)
        );
    }

    #[test]
    fn exp_strings_are_read_by_strtod() {
        let at = |exp: &str| validate(&token(&payload(exp)), NOW);
        // NaN never expires: `now >= NaN` is false.
        for nan in [
            r#""nan(0x1)""#,
            r#""nan""#,
            r#""NAN()""#,
            r#""snan""#,
            r#""-nan""#,
        ] {
            assert_eq!(at(nan), SdkVerdict::accepted(), "{nan}");
        }
        // Read up to the NUL.
        assert_eq!(at(r#""1800000600\u0000junk""#), SdkVerdict::accepted());
        assert_eq!(at(r#""1600000600\u0000junk""#), SdkVerdict::expired());
        // Overflow reads as infinity.
        assert_eq!(at(r#""1e999""#), SdkVerdict::accepted());
        // Not numbers: an unclosed payload, surrounding blanks, an empty string.
        for not in [
            r#""nan(1""#,
            r#"" 1800000600""#,
            r#""1800000600 ""#,
            r#""""#,
        ] {
            assert_eq!(at(not), SdkVerdict::expired(), "{not}");
        }
        assert!(foundation::double("\u{0}1").is_none());
        assert_eq!(foundation::double("0x1p31"), Some(2_147_483_648.0));
    }

    #[test]
    fn json_text_in_utf16_and_utf32_with_or_without_a_bom() {
        let text = later();
        let units16: Vec<u16> = text.encode_utf16().collect();
        let chars: Vec<u32> = text.chars().map(u32::from).collect();
        let encodings: [(&str, Vec<u8>); 4] = [
            (
                "UTF-16LE",
                units16.iter().flat_map(|u| u.to_le_bytes()).collect(),
            ),
            (
                "UTF-16BE",
                units16.iter().flat_map(|u| u.to_be_bytes()).collect(),
            ),
            (
                "UTF-32LE",
                chars.iter().flat_map(|u| u.to_le_bytes()).collect(),
            ),
            (
                "UTF-32BE",
                chars.iter().flat_map(|u| u.to_be_bytes()).collect(),
            ),
        ];
        let boms: [&[u8]; 4] = [b"\xFF\xFE", b"\xFE\xFF", b"\xFF\xFE\0\0", b"\0\0\xFE\xFF"];
        for ((name, bytes), bom) in encodings.iter().zip(boms) {
            for with_bom in [false, true] {
                let mut data = if with_bom { bom.to_vec() } else { Vec::new() };
                data.extend_from_slice(bytes);
                let t = format!("{}.{}.sig", b64(HEADER.as_bytes()), b64(&data));
                assert_eq!(
                    validate(&t, NOW),
                    SdkVerdict::accepted(),
                    "{name} bom {with_bom}"
                );
            }
        }
        // A unit cut short at the end is dropped; a lone surrogate refuses the text.
        assert!(foundation::json_object(b"{\0}\0 ").is_some());
        assert!(foundation::json_object(b"\0\0\0{\0\0\0}\0\0").is_some());
        assert!(foundation::json_object(b"{\0}\0\x00\xD8").is_none());
    }

    #[test]
    fn dots_fused_into_one_character_do_not_separate() {
        let h = b64(HEADER.as_bytes());
        let p = b64(later().as_bytes());
        // Extend (combining mark, ZWNJ, variation selector, emoji modifier, tag), ZWJ and
        // SpacingMark after the dot.
        for mark in [
            "\u{301}",
            "\u{200C}",
            "\u{200D}",
            "\u{FE0F}",
            "\u{903}",
            "\u{1F3FB}",
            "\u{E0041}",
        ] {
            assert_eq!(
                foundation::split_on_dots(&format!("a.{mark}b.c")),
                [format!("a.{mark}b").as_str(), "c"],
                "{mark:?}"
            );
            assert_eq!(
                validate(&format!("{h}.{p}.{mark}sig"), NOW),
                SdkVerdict::structure(PARTS_MESSAGE),
                "{mark:?}"
            );
        }
        // A prepended concatenation mark before the dot.
        assert_eq!(
            foundation::split_on_dots("a\u{600}.b.c"),
            ["a\u{600}.b", "c"]
        );
        // A spacing mark that UAX #29 leaves as Other, and a plain letter, do not fuse.
        assert_eq!(
            foundation::split_on_dots("a.\u{102B}.c"),
            ["a", "\u{102B}", "c"]
        );
        // Empty parts are dropped.
        assert_eq!(foundation::split_on_dots("..a..b."), ["a", "b"]);
    }

    #[test]
    fn zero_width_space_and_its_neighbours_are_blank() {
        for blank in [
            "\u{200B}",
            "\u{2000}\u{200A}",
            " \u{A0}\u{3000}\u{85}\u{2028}",
            "",
        ] {
            assert_eq!(
                validate(blank, NOW),
                SdkVerdict::structure(super::super::BLANK_MESSAGE),
                "{blank:?}"
            );
        }
        // Not whitespace to CoreFoundation: ZWNJ, the BOM, the Mongolian vowel separator.
        for not in ["\u{200C}", "\u{FEFF}", "\u{180E}"] {
            assert_eq!(
                validate(not, NOW),
                SdkVerdict::structure(PARTS_MESSAGE),
                "{not:?}"
            );
        }
    }

    #[test]
    fn trailing_commas_in_objects_and_arrays() {
        let p = later();
        let body = &p[..p.len() - 1];
        for ok in [
            format!("{body},}}"),
            format!("{body}, \n}}"),
            format!("{body},\"n\":[1,2,],}}"),
        ] {
            assert_eq!(validate(&token(&ok), NOW), SdkVerdict::accepted(), "{ok}");
        }
        for bad in [
            format!("{body},,}}"),
            format!("{body},\"n\":[,]}}"),
            "{,}".to_owned(),
        ] {
            assert_eq!(
                validate(&token(&bad), NOW),
                SdkVerdict::structure(PAYLOAD_MESSAGE),
                "{bad}"
            );
        }
    }

    /// A Linux artefact mmjwt does not follow: Linux bridges such an `NSNumber` to the `Int` -1.
    #[test]
    fn an_integer_exp_above_int64_max_reads_as_a_double() {
        assert_eq!(
            validate(&token(&payload("18446744073709551615")), NOW),
            SdkVerdict::accepted()
        );
    }

    /// Numbers become `NSNumber`s after repeated names are resolved; one that no `NSNumber`
    /// holds makes the whole text invalid.
    #[test]
    fn unrepresentable_numbers_fail_the_parse_unless_overwritten() {
        let p = later();
        let body = &p[..p.len() - 1];
        assert_eq!(
            validate(&token(&format!("{body},\"n\":1e400}}")), NOW),
            SdkVerdict::structure(PAYLOAD_MESSAGE)
        );
        assert_eq!(
            validate(&token(&format!("{body},\"n\":1e400,\"n\":1}}")), NOW),
            SdkVerdict::accepted()
        );
        assert_eq!(
            validate(&token(&format!("{body},\"n\":1e-400}}")), NOW),
            SdkVerdict::accepted()
        );
    }
}
