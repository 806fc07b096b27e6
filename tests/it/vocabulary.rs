//! The guard that knows the vocabulary: for every problem code in `problem.rs`, a token that
//! raises it, one edit away from the usual valid token where the code allows, judged by `check`
//! by the fast path (batch `check --json`'s one-pass line), which must step aside or give
//! `check`'s answer, and by the sandbox's verdict, which must answer `check`'s primary problem.
//! The same for every warning code: a token that raises it, for which the fast path steps aside.
//! The cases are found by a `match` without a wildcard, so a new code does not build until it
//! has its case here.

use crate::support::{HEADER, SECRET_HEX, b64, payload, signed, test_key};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mmjwt::problem::{Code, Warn};
use mmjwt::sdk::SdkSelection;
use mmjwt::secret::{HmacKey, Secret};
use mmjwt::token::check::{Expectations, Keys, Options, check, check_input};
use mmjwt::token::pitfalls::KeyVariants;
use mmjwt::token::verdict::verdict;
use mmjwt::token::{normalize_input, quick, report};
use std::collections::HashMap;

const NOW: i64 = 1_800_000_000;

/// The usual valid token, as `gen` would make it for these claims.
fn usual() -> String {
    signed(HEADER, &payload("alice", NOW - 10, NOW + 900), &test_key())
}

/// How a case is judged: which key, whether a signature is required, what is expected.
#[derive(Clone, Copy, Default)]
enum Judging {
    #[default]
    RightKey,
    NoKeyRequired,
    RingWithoutTheKid,
    Expect(Expectations<'static>),
}

/// A token that raises `code` under its judging. Exhaustive on purpose: see the module header.
fn case(code: Code) -> (String, Judging) {
    let key = test_key();
    let with_payload = |p: &str| signed(HEADER, p, &key);
    let with_header = |h: &str| signed(h, &payload("alice", NOW - 10, NOW + 900), &key);
    let usual_payload = payload("alice", NOW - 10, NOW + 900);
    let right = Judging::RightKey;
    match code {
        Code::StructureInvalid => (
            with_payload(&usual_payload.replace(r#","jti":"j-1""#, "")),
            right,
        ),
        Code::Expired => (with_payload(&payload("alice", NOW - 900, NOW - 1)), right),
        Code::SignatureInvalid => (
            signed(HEADER, &usual_payload, &HmacKey::new(b"another key")),
            right,
        ),
        Code::TokenTooLarge => {
            let padding = "x".repeat(mmjwt::token::MAX_TOKEN_BYTES);
            let p = usual_payload.replace(r#""jti":"j-1""#, &format!(r#""jti":"{padding}""#));
            (with_payload(&p), right)
        }
        Code::NotCanonicalBase64url => {
            // The usual token with its header segment padded to a multiple of four.
            let t = usual();
            let (h64, rest) = t.split_once('.').unwrap();
            let pad = "=".repeat((4 - h64.len() % 4) % 4);
            assert!(!pad.is_empty(), "the usual header needs padding");
            (format!("{h64}{pad}.{rest}"), right)
        }
        Code::DuplicateMember => (
            with_payload(&usual_payload.replace('}', r#","sub":"alice"}"#)),
            right,
        ),
        Code::AlgNotAllowed => (with_header(&HEADER.replace("HS256", "HS384")), right),
        Code::HeaderTypInvalid => (with_header(&HEADER.replace("JWT", "jwt")), right),
        Code::CritUnsupported => (
            with_header(&HEADER.replace('}', r#","crit":["x"]}"#)),
            right,
        ),
        Code::TypNotBearer => (
            with_payload(&usual_payload.replace("Bearer", "bearer")),
            right,
        ),
        Code::ClaimTypeInvalid => {
            let exp = (NOW + 900).to_string();
            let p = usual_payload.replace(&exp, &format!("\"{exp}\""));
            (with_payload(&p), right)
        }
        Code::ClaimEmpty => (
            with_payload(&usual_payload.replace(r#""j-1""#, r#""""#)),
            right,
        ),
        Code::IatInFuture => (with_payload(&payload("alice", NOW + 60, NOW + 900)), right),
        Code::ExpBeforeIat => (with_payload(&payload("alice", NOW + 900, NOW + 800)), right),
        Code::NotYetValid => (
            with_payload(&usual_payload.replace('}', &format!(r#","nbf":{}}}"#, NOW + 60))),
            right,
        ),
        Code::KidMismatch => (
            usual(),
            Judging::Expect(Expectations {
                kid: Some("another-key-id"),
                ..Expectations::default()
            }),
        ),
        Code::KidUnknown => (usual(), Judging::RingWithoutTheKid),
        Code::AppCodeMismatch => (
            usual(),
            Judging::Expect(Expectations {
                app_code: Some("another-app-code"),
                ..Expectations::default()
            }),
        ),
        Code::SubMismatch => (
            usual(),
            Judging::Expect(Expectations {
                sub: Some("bob"),
                ..Expectations::default()
            }),
        ),
        Code::SignatureNotVerified => (usual(), Judging::NoKeyRequired),
    }
}

/// Whether the fast path took the token: `Err` names a disagreement with `check` (its own or
/// the verdict's).
fn fast_paths_agree(token: &str, opts: &Options<'_>) -> Result<bool, String> {
    let input = normalize_input(token);
    let r = check_input(token, &input, opts);
    // The batch line: stepped aside (wrote nothing), or check's own line for a clean report.
    let mut line = String::from("kept");
    let quick_taken = quick::write_json(&mut line, token.as_bytes(), Some(1), opts);
    if quick_taken {
        let mut general = String::new();
        report::write_json(&mut general, &r, &input, Some(1), opts.now, opts.leeway);
        if !r.valid() || !r.warnings.is_empty() || line["kept".len()..] != general {
            return Err(format!(
                "the batch line took it: {}\ncheck: {general}",
                &line[4..]
            ));
        }
    } else if line != "kept" {
        return Err(format!("the batch line stepped aside but wrote {line}"));
    }
    // The sandbox's verdict: check's primary problem.
    let v = verdict(token, opts);
    match (&v.outcome, r.primary_problem()) {
        (Ok(_), None) => {}
        (Err(refusal), Some(p)) if refusal.problem == *p => {}
        (got, want) => return Err(format!("verdict {got:?}, check's primary problem {want:?}")),
    }
    Ok(quick_taken)
}

#[test]
fn every_problem_code_is_raised_and_the_fast_paths_step_aside_for_it() {
    let key = test_key();
    let ring = HashMap::from([("test-key-id".to_owned(), test_key())]);
    let other_ring = HashMap::from([("another-key-id".to_owned(), test_key())]);
    // The usual token itself is taken, so stepping aside below is the rules' doing.
    let opts = Options {
        keys: Keys::Single(&key),
        ..Options::at(NOW)
    };
    assert_eq!(fast_paths_agree(&usual(), &opts), Ok(true));
    let mut failures = Vec::new();
    for &code in Code::ALL {
        let (token, judging) = case(code);
        for sdk in [SdkSelection::BOTH, SdkSelection::NONE] {
            let (keys, require_signature, expect) = match judging {
                Judging::RightKey => (Keys::Single(&key), false, Expectations::default()),
                Judging::NoKeyRequired => (Keys::None, true, Expectations::default()),
                Judging::RingWithoutTheKid => {
                    (Keys::Ring(&other_ring), true, Expectations::default())
                }
                Judging::Expect(e) => (Keys::Ring(&ring), true, e),
            };
            let opts = Options {
                keys,
                require_signature,
                expect,
                sdk,
                ..Options::at(NOW)
            };
            // The case is honest: check raises the code it stands for (the SDK-only codes
            // from the server layer too, so with or without the SDKs).
            let raised = check(&token, &opts).problems.iter().any(|p| p.code == code);
            if !raised {
                failures.push(format!("{code}: the case does not raise it (sdk {sdk:?})"));
                continue;
            }
            match fast_paths_agree(&token, &opts) {
                Ok(false) => {}
                Ok(true) => failures.push(format!("{code}: the batch line's fast path took it")),
                Err(e) => failures.push(format!("{code}: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A token that raises warning `w`, and the key to judge it with (the right one unless the
/// warning is about a wrong one). Exhaustive on purpose, as [`case`].
fn warning_case(w: Warn) -> (String, bool) {
    let key = test_key();
    let usual_payload = payload("alice", NOW - 10, NOW + 900);
    let with_payload = |p: &str| signed(HEADER, p, &key);
    let with_claim =
        |member: &str| with_payload(&usual_payload.replace('}', &format!(",{member}}}")));
    let with_dates = |iat: &str, exp: &str| {
        with_payload(&format!(
            r#"{{"typ":"Bearer","sub":"alice","infobip-api-key":"test-app-code","iat":{iat},"exp":{exp},"jti":"j-1"}}"#
        ))
    };
    let right = true;
    match w {
        Warn::SecretUsedAsText => (
            signed(HEADER, &usual_payload, &HmacKey::new(SECRET_HEX.as_bytes())),
            false,
        ),
        Warn::ExpiredAtIssue => (with_payload(&payload("alice", NOW - 10, NOW - 10)), right),
        Warn::ShortLifetime => (with_payload(&payload("alice", NOW - 10, NOW + 20)), right),
        Warn::TimeInMilliseconds => (
            with_payload(&payload("alice", NOW * 1000, (NOW + 900) * 1000)),
            right,
        ),
        Warn::AsGivenRefused => (format!("Bearer {}", usual()), right),
        Warn::KeyReferenceIgnored => (
            signed(
                r#"{"alg":"HS256","typ":"JWT","kid":"test-key-id","jku":"https://example.com/k"}"#,
                &usual_payload,
                &key,
            ),
            right,
        ),
        Warn::AudNotChecked => (with_claim(r#""aud":"x""#), right),
        Warn::IssDiffers => (with_claim(r#""iss":"another-app""#), right),
        Warn::AndroidStackRisk => {
            let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
            (with_claim(&format!(r#""x":{deep}"#)), right)
        }
        Warn::HeaderTypOmitted => (
            signed(
                r#"{"kid":"test-key-id","alg":"HS256"}"#,
                &usual_payload,
                &key,
            ),
            right,
        ),
        Warn::DateAsString => (
            with_dates(&(NOW - 10).to_string(), r#""2027-01-15T08:15:00Z""#),
            right,
        ),
        Warn::DateAsFraction => (
            with_dates(&(NOW - 10).to_string(), &format!("{}.5", NOW + 900)),
            right,
        ),
        Warn::ExpNotATimestamp => (with_dates(&(NOW - 10).to_string(), "900"), right),
        Warn::PayloadNotUtf8 => {
            let latin1: Vec<u8> = payload("José", NOW - 10, NOW + 900)
                .chars()
                .map(|c| u8::try_from(u32::from(c)).unwrap())
                .collect();
            let input = format!("{}.{}", b64(HEADER), URL_SAFE_NO_PAD.encode(latin1));
            let sig = URL_SAFE_NO_PAD.encode(key.sign(input.as_bytes()));
            (format!("{input}.{sig}"), right)
        }
        // The string the app would pass is empty; normalize_input keeps it empty.
        Warn::EmptyTokenClears => (String::new(), right),
    }
}

#[test]
fn every_warning_code_is_raised_and_the_batch_line_steps_aside_for_it() {
    let key = test_key();
    let secret = Secret::from_hex(SECRET_HEX).unwrap();
    let variants = KeyVariants::from_secret(&secret);
    let mut failures = Vec::new();
    for &w in Warn::ALL {
        let (token, right_key) = warning_case(w);
        let keys = if right_key {
            Keys::Single(&key)
        } else {
            Keys::SingleWithVariants(&key, &variants)
        };
        let opts = Options {
            keys,
            ..Options::at(NOW)
        };
        let input = normalize_input(&token);
        let r = check_input(&token, &input, &opts);
        if !r.warnings.iter().any(|x| x.code == w) {
            failures.push(format!("{w}: the case does not raise it: {:?}", r.warnings));
            continue;
        }
        // The batch line writes only reports without warnings: it must step aside, writing
        // nothing. (The sandbox's verdict is not compared: AS_GIVEN_REFUSED's raw string is
        // what the sandbox would refuse as given.)
        let mut line = String::new();
        if quick::write_json(&mut line, token.as_bytes(), Some(1), &opts) || !line.is_empty() {
            failures.push(format!("{w}: the batch line's fast path took it: {line}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
