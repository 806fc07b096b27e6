//! The SDKs' own validator test cases (spec 7.1–7.3) and the Android/iOS differential cases
//! (spec 7.5), run against the emulations.

use crate::support::{b64, test_key};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use mmjwt::problem::Code;
use mmjwt::sdk::{SdkVerdict, android, ios};

const NOW: i64 = 1_800_000_000;

fn android_header() -> &'static str {
    r#"{"alg":"HS256","typ":"JWT","kid":"validKID"}"#
}

fn android_payload(exp: i64) -> String {
    format!(
        r#"{{"typ":"Bearer","sub":"externalUserId","infobip-api-key":"myApiKey","iat":{NOW},"exp":{exp},"jti":"4e0b5c9a-0000-4000-8000-000000000000"}}"#
    )
}

/// The Android test fixture encodes with java.util.Base64's standard encoder, with padding.
fn std_b64(s: &str) -> String {
    STANDARD.encode(s.as_bytes())
}

fn structure(msg: &str) -> SdkVerdict {
    SdkVerdict::structure(msg)
}

#[test]
fn android_authorization_utils_test_cases() {
    let h = std_b64(android_header());
    let p = std_b64(&android_payload(NOW + 60));
    let cases: Vec<(String, SdkVerdict)> = vec![
        ("   ".into(), structure("Token is empty or blank.")),
        (
            "header.payload".into(),
            structure("Token must have three parts separated by dots."),
        ),
        (
            format!("{}.payload.signature", android_header()),
            structure("Token header is not a valid Base64 encoded JSON object."),
        ),
        (
            format!("{}.payload.signature", std_b64("header")),
            structure("Token header is not a valid Base64 encoded JSON object."),
        ),
        (
            format!("{h}.{}.signature", android_payload(NOW + 60)),
            structure("Token payload is not a valid Base64 encoded JSON object."),
        ),
        (
            format!("{h}.{}.signature", std_b64("payload")),
            structure("Token payload is not a valid Base64 encoded JSON object."),
        ),
        (
            format!(
                "{}.{p}.signature",
                std_b64(r#"{"alg":"HS256","typ":"JWT"}"#)
            ),
            structure("Token header is missing mandatory header kid"),
        ),
        (
            format!(
                "{h}.{}.signature",
                std_b64(&android_payload(NOW + 60).replace(r#","infobip-api-key":"myApiKey""#, ""))
            ),
            structure("Token payload is missing mandatory claim infobip-api-key"),
        ),
        (
            format!("{h}.{}.signature", std_b64(&android_payload(NOW - 10))),
            SdkVerdict::expired(),
        ),
        (format!("{h}.{p}.signature"), SdkVerdict::accepted()),
    ];
    for (token, expected) in cases {
        assert_eq!(android::validate(&token, NOW), expected, "token {token:?}");
    }
}

#[test]
fn android_jwt_supplier_cases() {
    let h = std_b64(android_header());
    let v = android::validate(&h, NOW);
    assert_eq!(v.code, Some(Code::StructureInvalid));
    assert_eq!(
        v.message.as_deref(),
        Some("Token must have three parts separated by dots.")
    );
    let expired = format!("{h}.{}.signature", std_b64(&android_payload(NOW - 60)));
    let v = android::validate(&expired, NOW);
    assert_eq!(v.code, Some(Code::Expired));
    assert_eq!(v.message.as_deref(), Some("The provided JWT is expired."));
}

fn ios_header() -> String {
    b64(r#"{"alg":"HS256","typ":"JWT","kid":"key-id"}"#)
}

fn ios_payload(exp: &str) -> String {
    b64(&format!(
        r#"{{"typ":"jwt","sub":"user123","infobip-api-key":"api-key-123","iat":{NOW},"exp":{exp},"jti":"jti-123"}}"#
    ))
}

#[test]
fn ios_validator_test_cases() {
    let h = ios_header();
    let cases: Vec<(String, SdkVerdict)> = vec![
        (String::new(), structure("Token is empty or blank.")),
        ("   ".into(), structure("Token is empty or blank.")),
        (
            "header.payload".into(),
            structure("Token must have three parts separated by dots."),
        ),
        (
            "invalid-header.payload.signature".into(),
            structure("Token header is not a valid Base64 encoded JSON object."),
        ),
        (
            format!("{}.payload.signature", b64(r#"{"alg":"HS256"}"#)),
            structure(r#"Missing JWT header fields: ["kid", "typ"]"#),
        ),
        (
            format!("{h}.invalid-payload.signature"),
            structure("Token payload is not a valid Base64 encoded JSON object."),
        ),
        (
            format!("{h}.{}.signature", b64(r#"{"sub":"1234567890"}"#)),
            structure(r#"Missing JWT claims: ["exp", "iat", "infobip-api-key", "jti", "typ"]"#),
        ),
        (
            format!("{h}.{}.signature", ios_payload(&(NOW - 3600).to_string())),
            SdkVerdict::expired(),
        ),
        (
            format!("{h}.{}.signature", ios_payload(&(NOW + 3600).to_string())),
            SdkVerdict::accepted(),
        ),
        (
            format!("{h}.{}.signature", ios_payload("\"not-a-number\"")),
            SdkVerdict::expired(),
        ),
    ];
    for (token, expected) in cases {
        assert_eq!(ios::validate(&token, NOW), expected, "token {token:?}");
    }
}

/// Spec 7.5 and 4.4: where the two SDKs part ways.
#[test]
fn differential_cases() {
    let key = test_key();
    let h = b64(r#"{"alg":"HS256","typ":"JWT","kid":"k"}"#);
    let pay = |exp: &str| {
        b64(&format!(
            r#"{{"typ":"Bearer","sub":"u","infobip-api-key":"a","iat":{NOW},"exp":{exp},"jti":"j"}}"#
        ))
    };
    let p = pay(&(NOW + 60).to_string());
    let s = "c2ln";
    let _ = key;
    let acc = SdkVerdict::accepted();
    let parts = structure("Token must have three parts separated by dots.");
    let payload_bad = structure("Token payload is not a valid Base64 encoded JSON object.");
    let header_bad = structure("Token header is not a valid Base64 encoded JSON object.");
    let missing_exp = structure("Token payload is missing mandatory claim exp");
    // (token, android, ios)
    let cases: Vec<(String, SdkVerdict, SdkVerdict)> = vec![
        (format!("{h}.{p}.{s}."), acc.clone(), acc.clone()),
        (format!(".{h}.{p}.{s}"), parts.clone(), acc.clone()),
        (format!("{h}..{p}.{s}"), parts.clone(), acc.clone()),
        (format!("{h}..{s}"), payload_bad.clone(), parts.clone()),
        (format!("{h}.{p}."), parts.clone(), parts.clone()),
        // Padded segments: both accept.
        (
            format!(
                "{}.{}.{s}",
                STANDARD.encode(r#"{"alg":"HS256","typ":"JWT","kid":"k"}"#),
                p
            ),
            acc.clone(),
            acc.clone(),
        ),
        // A space inside a segment: Android skips it, iOS refuses.
        (
            format!("{} {}.{p}.{s}", &h[..4], &h[4..]),
            acc.clone(),
            header_bad.clone(),
        ),
        // Lenient JSON: Android accepts unquoted names, iOS does not.
        (
            format!("{}.{p}.{s}", b64("{alg:HS256,typ:JWT,kid:k}")),
            acc.clone(),
            header_bad.clone(),
        ),
        (
            format!("{h}.{}.{s}", pay("null")),
            missing_exp.clone(),
            SdkVerdict::expired(),
        ),
        (
            format!("{h}.{}.{s}", pay("\"not-a-number\"")),
            missing_exp.clone(),
            SdkVerdict::expired(),
        ),
        (
            format!("{h}.{}.{s}", pay("\"1900000000\"")),
            acc.clone(),
            acc.clone(),
        ),
        (
            format!("{h}.{}.{s}", pay(&NOW.to_string())),
            SdkVerdict::expired(),
            SdkVerdict::expired(),
        ),
        (
            format!("{h}.{}.{s}", pay("\"NaN\"")),
            SdkVerdict::expired(),
            acc.clone(),
        ),
        (
            format!("{h}.{}.{s}", pay("1900000000.7")),
            acc.clone(),
            acc.clone(),
        ),
        (
            format!("{h}.{}.{s}", pay("true")),
            missing_exp.clone(),
            SdkVerdict::expired(),
        ),
        (
            format!("{}.{p}.{s}", b64(r#"{"alg":"HS256"}"#)),
            structure("Token header is missing mandatory header typ"),
            structure(r#"Missing JWT header fields: ["kid", "typ"]"#),
        ),
        (
            "\u{a0}".into(),
            parts.clone(),
            structure("Token is empty or blank."),
        ),
    ];
    for (token, a, i) in cases {
        assert_eq!(android::validate(&token, NOW), a, "android {token:?}");
        assert_eq!(ios::validate(&token, NOW), i, "ios {token:?}");
    }
}

mod reuse {
    //! `check` lets the SDK emulations reuse the server layer's strict parse of clean segments.
    //! These properties hold that shortcut to the emulations' own answers.
    use crate::support::{b64, signed, test_key};
    use mmjwt::sdk::{SdkSelection, android, ios};
    use mmjwt::token::check::{Options, check};
    use proptest::prelude::*;

    fn exp_value() -> impl Strategy<Value = String> {
        prop_oneof![
            (1_799_999_997_i64..1_800_000_003).prop_map(|n| n.to_string()),
            (1_799_999_997_i64..1_800_000_003).prop_map(|n| format!("\"{n}\"")),
            (1_799_999_997_i64..1_800_000_003).prop_map(|n| format!("{n}.5")),
            (1_799_999_997_i64..1_800_000_003).prop_map(|n| format!("{n}e0")),
            Just("null".to_string()),
            Just("true".to_string()),
            Just("\"NaN\"".to_string()),
            Just("\" 1900000000\"".to_string()),
            Just("1e300".to_string()),
            Just("99999999999999999999".to_string()),
            Just("[]".to_string()),
            Just("{}".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, failure_persistence: Some(crate::support::proptest_persistence()), ..ProptestConfig::default() })]

        #[test]
        fn verdicts_equal_with_and_without_the_shared_parse(
            exp in exp_value(),
            drop_claim in proptest::option::of(0usize..6),
            drop_header in proptest::option::of(0usize..3),
            extra in "[a-z]{0,3}",
            sign in any::<bool>(),
        ) {
            let now = 1_800_000_000;
            let mut header = vec![r#""alg":"HS256""#, r#""typ":"JWT""#, r#""kid":"k""#];
            if let Some(i) = drop_header { header.remove(i); }
            let mut claims = vec![
                r#""typ":"Bearer""#.to_string(), r#""sub":"u""#.to_string(),
                r#""infobip-api-key":"a""#.to_string(), format!(r#""iat":{now}"#),
                format!(r#""exp":{exp}"#), r#""jti":"j""#.to_string(),
            ];
            if let Some(i) = drop_claim { claims.remove(i); }
            if !extra.is_empty() { claims.push(format!(r#""{extra}":1"#)); }
            let h = format!("{{{}}}", header.join(","));
            let p = format!("{{{}}}", claims.join(","));
            let token = if sign { signed(&h, &p, &test_key()) } else { format!("{}.{}.c2ln", b64(&h), b64(&p)) };
            let report = check(&token, &Options { sdk: SdkSelection::BOTH, ..Options::at(now) });
            prop_assert_eq!(report.sdk[mmjwt::sdk::Platform::Android].as_ref(), Some(&android::validate(&token, now)));
            prop_assert_eq!(report.sdk[mmjwt::sdk::Platform::Ios].as_ref(), Some(&ios::validate(&token, now)));
        }
    }
}
