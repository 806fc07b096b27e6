//! Hardening properties of the token core: every one-character mutation of a valid token is
//! refused, over-cap tokens are refused before decoding, deep nesting never exhausts the stack
//! (server layer and both SDK emulations), and proptest properties — no panic on any input,
//! gen → check round trips, and jsonwebtoken accepting every token mmjwt mints.

use crate::support::{REFERENCE_TOKEN, test_key};
use mmjwt::b64;
use mmjwt::color::Painter;
use mmjwt::json::parse_object;
use mmjwt::sdk::{SdkSelection, android, ios};
use mmjwt::secret::HmacKey;
use mmjwt::token::check::{Expectations, KeyRing, Keys, Options, check};
use mmjwt::token::mint::{Claims, Minter};
use mmjwt::token::report;
use mmjwt::token::{MAX_TOKEN_BYTES, normalize_input};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

const NOW: i64 = 1_700_000_000;

/// The base64url alphabet plus characters that are wrong in a segment in other ways.
fn mutation_alphabet() -> Vec<char> {
    let mut a: Vec<char> = ('A'..='Z')
        .chain('a'..='z')
        .chain('0'..='9')
        .chain(['-', '_'])
        .collect();
    a.extend(['.', '=', '+', '/', ' ', '\n', '\0', 'é']);
    a
}

/// Every single-character substitution, insertion and deletion, at every position of the token
/// (all three segments and both dots).
fn mutants(token: &str, alphabet: &[char]) -> Vec<String> {
    let chars: Vec<char> = token.chars().collect();
    let mut out = Vec::new();
    for i in 0..chars.len() {
        for &c in alphabet {
            if c != chars[i] {
                let mut m = chars.clone();
                m[i] = c;
                out.push(m.into_iter().collect());
            }
        }
    }
    for i in 0..=chars.len() {
        for &c in alphabet {
            let mut m = chars.clone();
            m.insert(i, c);
            out.push(m.into_iter().collect());
        }
    }
    for i in 0..chars.len() {
        let mut m = chars.clone();
        m.remove(i);
        out.push(m.into_iter().collect());
    }
    out
}

#[test]
fn every_single_character_mutation_is_rejected() {
    let key = test_key();
    let opts = Options {
        keys: Keys::Single(&key),
        sdk: SdkSelection::NONE,
        ..Options::at(NOW)
    };
    assert!(
        check(REFERENCE_TOKEN, &opts).valid(),
        "the original is valid"
    );
    let alphabet = mutation_alphabet();
    let all = mutants(REFERENCE_TOKEN, &alphabet);
    let len = REFERENCE_TOKEN.len();
    let a = alphabet.len();
    // Substitutions + insertions + deletions; every original character is in the alphabet.
    assert_eq!(a, 72);
    assert_eq!(len, 306);
    assert_eq!(all.len(), len * (a - 1) + (len + 1) * a + len);
    assert_eq!(all.len(), 44_136);
    let accepted: Vec<&String> = all.iter().filter(|m| check(m, &opts).valid()).collect();
    assert!(accepted.is_empty(), "accepted mutants: {accepted:?}");
    // Some insertions repeat a neighbour and so produce the same text twice.
    let distinct: HashSet<&String> = all.iter().collect();
    assert!(!distinct.contains(&REFERENCE_TOKEN.to_string()));
}

fn report_is_refused_before_decoding(token: &str) {
    let key = test_key();
    let r = check(
        token,
        &Options {
            keys: Keys::Single(&key),
            ..Options::at(NOW)
        },
    );
    let codes: Vec<&str> = r.problems.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["TOKEN_TOO_LARGE"]);
    // Nothing was decoded: no header, no claims, no SDK verdicts, one step.
    assert!(r.header.is_none() && r.claims.is_none());
    assert!(r.sdk.iter().all(|(_, v)| v.is_none()));
    assert_eq!(r.steps.len(), 1);
}

#[test]
fn over_cap_tokens_are_refused_before_decoding() {
    // One byte over the cap, made of a valid token padded with a long claim.
    let pad = "x".repeat(MAX_TOKEN_BYTES);
    let payload = format!(
        r#"{{"typ":"Bearer","sub":"u","infobip-api-key":"a","iat":{NOW},"exp":{},"jti":"j","pad":"{pad}"}}"#,
        NOW + 60
    );
    let big = crate::support::signed(crate::support::HEADER, &payload, &test_key());
    assert!(big.len() > MAX_TOKEN_BYTES);
    report_is_refused_before_decoding(&big);
    report_is_refused_before_decoding(&"a".repeat(MAX_TOKEN_BYTES + 1));
    report_is_refused_before_decoding(&"[".repeat(1_000_000));
    report_is_refused_before_decoding(&".".repeat(MAX_TOKEN_BYTES + 1));
    // Multi-byte characters count as bytes, not characters.
    report_is_refused_before_decoding(&"é".repeat(MAX_TOKEN_BYTES / 2 + 1));
}

/// Runs `f` on a thread with a 2 MiB stack (the default for spawned threads and for tokio's
/// workers), so unbounded recursion would crash the test binary rather than pass unnoticed.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

fn deep_texts() -> Vec<String> {
    let n = 100_000;
    vec![
        "[".repeat(n),
        format!("{{\"a\":{}1{}}}", "[".repeat(n), "]".repeat(n)),
        format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n)),
        format!("{{\"a\":{}", "{\"b\":[".repeat(n)),
        // org.json-only syntax all the way down.
        format!("{{a:{}", "{b=>[".repeat(n)),
    ]
}

#[test]
fn deep_nesting_never_exhausts_the_stack() {
    on_small_stack(|| {
        let key = test_key();
        for text in deep_texts() {
            // The strict parser directly (no size cap in the way).
            assert!(parse_object(text.as_bytes()).is_err());
            // Both SDK emulations directly: the token is far over the cap, which they do not
            // know about.
            let seg = b64::encode(text.as_bytes());
            let header = b64::encode(crate::support::HEADER.as_bytes());
            for token in [format!("{seg}.{seg}.sig"), format!("{header}.{seg}.sig")] {
                assert!(!android::validate(&token, NOW).accepted);
                assert!(!ios::validate(&token, NOW).accepted);
            }
        }
        // Through check, nesting as deep as the size cap allows, in the header and the payload.
        let depth = 2_500;
        let deep = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let header = format!(r#"{{"alg":"HS256","typ":"JWT","kid":"k","x":{deep}}}"#);
        let token = crate::support::signed(&header, "{}", &key);
        assert!(token.len() <= MAX_TOKEN_BYTES);
        let r = check(
            &token,
            &Options {
                keys: Keys::Single(&key),
                ..Options::at(NOW)
            },
        );
        assert!(
            r.header.is_none(),
            "nesting past serde_json's limit is refused"
        );
        assert!(r.sdk.iter().all(|(_, v)| !v.as_ref().unwrap().accepted));
        let payload = format!(r#"{{"x":{deep}}}"#);
        let token = crate::support::signed(crate::support::HEADER, &payload, &key);
        let r = check(&token, &Options::at(NOW));
        assert!(r.claims.is_none());
    });
}

// ------------------------------------------------------------------------------- proptest

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Failures are reported, not written into the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text that looks like a token often enough to get past the first checks.
fn tokenish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Za-z0-9_=+/. \n-]{0,400}",
        "(eyJ[A-Za-z0-9_-]{0,80}\\.){0,4}[A-Za-z0-9_-]{0,60}",
        proptest::collection::vec(any::<u8>(), 0..600)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

/// Header and payload bytes encoded and correctly signed, so the claim checks behind the MAC
/// get exercised with arbitrary JSON-ish content.
fn assembled() -> impl Strategy<Value = String> {
    let json_bit = prop_oneof![
        any::<String>(),
        r#"\{("(alg|typ|kid|sub|exp|iat|nbf|jti|crit|infobip-api-key)":("[A-Za-z0-9 ]{0,8}"|-?[0-9]{1,20}(\.[0-9])?|null|true|\[\]|\{\}),?){0,8}\}"#,
    ];
    (json_bit.clone(), json_bit).prop_map(|(h, p)| {
        let key = test_key();
        crate::support::signed(&h, &p, &key)
    })
}

fn judge_everything(token: &str, now: i64, leeway: i64, which: u8) {
    let key = test_key();
    let ring: HashMap<String, HmacKey> = HashMap::from([("test-key-id".to_string(), key.clone())]);
    let keys = match which % 3 {
        0 => Keys::None,
        1 => Keys::Single(&key),
        _ => Keys::Ring(&ring as &(dyn KeyRing + Sync)),
    };
    let input = normalize_input(token);
    let opts = Options {
        now,
        leeway,
        keys,
        expect: Expectations {
            sub: Some("ext-user-1"),
            app_code: Some("test-app-code"),
            kid: Some("test-key-id"),
        },
        require_signature: which & 4 != 0,
        sdk: SdkSelection::BOTH,
    };
    let r = check(&input.token, &opts);
    assert_eq!(r.valid(), r.problems.is_empty());
    assert_eq!(r.exit_code() == 0, r.valid());
    let _ = report::text(&r, &input, now, Painter::plain());
    let json = serde_json::to_string(&report::json(&r, &input, None, now, leeway)).unwrap();
    assert!(json.starts_with('{'));
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn check_never_panics(
        token in prop_oneof![tokenish(), assembled()],
        now in any::<i64>(),
        leeway in prop_oneof![Just(0i64), 0..=i64::MAX, any::<i64>()],
        which in any::<u8>(),
    ) {
        judge_everything(&token, now, leeway, which);
    }

    #[test]
    fn sdk_emulations_never_panic(
        text in tokenish(),
        parts in (any::<Vec<u8>>(), any::<Vec<u8>>()),
        now in any::<i64>(),
    ) {
        let assembled = format!("{}.{}.sig", b64::encode(&parts.0), b64::encode(&parts.1));
        for t in [text.as_str(), assembled.as_str()] {
            let a = android::validate(t, now);
            let i = ios::validate(t, now);
            prop_assert_eq!(a.accepted, a.code.is_none());
            prop_assert_eq!(i.accepted, i.code.is_none());
        }
        let _ = parse_object(text.as_bytes());
        let _ = android::android_base64_decode(text.as_bytes());
        let _ = ios::ios_base64_decode(&text);
    }
}

/// Non-empty strings with the characters that break naive encoders: quotes, backslashes,
/// control characters, line separators, non-BMP characters, and long runs.
fn awkward_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9@._-]{1,40}",
        "[\"\\\\\\x00-\\x1f\u{7f}\u{2028}\u{2029}\u{feff}é中😀 a]{1,60}",
        any::<String>().prop_filter("non-empty", |s| !s.is_empty()),
        "[a-z]{150,200}",
    ]
}

#[derive(Debug, Clone)]
struct Minted {
    kid: String,
    sub: String,
    app_code: String,
    jti: String,
    iat: i64,
    ttl: i64,
    extra: Vec<(String, serde_json::Value)>,
    key: Vec<u8>,
}

fn minted() -> impl Strategy<Value = Minted> {
    (
        awkward_string(),
        awkward_string(),
        awkward_string(),
        awkward_string(),
        0i64..4_000_000_000,
        1i64..1_000_000_000,
        proptest::collection::btree_map("x-[a-z]{1,8}", awkward_string(), 0..3),
        proptest::collection::vec(any::<u8>(), 32..=64),
    )
        .prop_map(|(kid, sub, app_code, jti, iat, ttl, extra, key)| Minted {
            kid,
            sub,
            app_code,
            jti,
            iat,
            ttl,
            extra: extra
                .into_iter()
                .map(|(k, v): (String, String)| (k, serde_json::Value::String(v)))
                .collect::<BTreeMap<_, _>>()
                .into_iter()
                .collect(),
            key,
        })
}

fn mint(m: &Minted, exp: i64) -> String {
    let mut minter = Minter::new(&m.kid, HmacKey::new(&m.key));
    minter
        .mint(&Claims {
            sub: &m.sub,
            app_code: &m.app_code,
            iat: m.iat,
            exp,
            jti: &m.jti,
            iss: Some(&m.app_code),
            extra: &m.extra,
        })
        .0
}

proptest! {
    #![proptest_config(config(256))]

    /// gen → check: valid for the server and both SDKs at any instant in [iat, exp), and every
    /// value reads back exactly.
    #[test]
    fn minted_tokens_round_trip(m in minted(), at in 0.0f64..1.0) {
        let exp = m.iat + m.ttl;
        let token = mint(&m, exp);
        prop_assume!(token.len() <= MAX_TOKEN_BYTES);
        let now = m.iat + ((m.ttl as f64 * at) as i64).min(m.ttl - 1);
        let key = HmacKey::new(&m.key);
        let r = check(&token, &Options {
            keys: Keys::Single(&key),
            expect: Expectations { sub: Some(&m.sub), app_code: Some(&m.app_code), kid: Some(&m.kid) },
            ..Options::at(now)
        });
        prop_assert!(r.valid(), "problems: {:?}", r.problems);
        prop_assert!(r.verified);
        let claims = r.claims.unwrap();
        let header = r.header.unwrap();
        prop_assert_eq!(header["kid"].as_str(), Some(m.kid.as_str()));
        prop_assert_eq!(claims["sub"].as_str(), Some(m.sub.as_str()));
        prop_assert_eq!(claims["infobip-api-key"].as_str(), Some(m.app_code.as_str()));
        prop_assert_eq!(claims["jti"].as_str(), Some(m.jti.as_str()));
        prop_assert_eq!(claims["iat"].as_i64(), Some(m.iat));
        prop_assert_eq!(claims["exp"].as_i64(), Some(exp));
        for (k, v) in &m.extra {
            prop_assert_eq!(&claims[k.as_str()], v);
        }
        // One second later than the last valid instant, it is expired everywhere.
        let late = check(&token, &Options { keys: Keys::Single(&key), ..Options::at(exp) });
        let codes: HashSet<&str> = late.problems.iter().map(|p| p.code.as_str()).collect();
        prop_assert_eq!(codes, HashSet::from(["JWT_TOKEN_EXPIRED"]));
    }

    /// Differential oracle: jsonwebtoken (HS256 only, leeway 0, exp and nbf validated) accepts
    /// every token mmjwt mints and reads the same header and claims.
    #[test]
    fn jsonwebtoken_accepts_minted_tokens(m in minted()) {
        use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
        // jsonwebtoken reads the wall clock; an exp after 2100 keeps this independent of it.
        let exp = 4_102_444_800 + m.ttl;
        let token = mint(&m, exp);
        prop_assume!(token.len() <= MAX_TOKEN_BYTES);
        let mut v = Validation::new(Algorithm::HS256);
        v.leeway = 0;
        v.validate_exp = true;
        v.validate_nbf = true;
        let data = decode::<serde_json::Value>(&token, &DecodingKey::from_secret(&m.key), &v);
        prop_assert!(data.is_ok(), "jsonwebtoken refused: {:?}", data.err());
        let claims = data.unwrap().claims;
        let ours = check(&token, &Options { keys: Keys::Single(&HmacKey::new(&m.key)), ..Options::at(m.iat) });
        prop_assert!(ours.valid());
        prop_assert_eq!(ours.claims.unwrap().to_value(), claims);
        prop_assert_eq!(decode_header(&token).unwrap().kid, Some(m.kid.clone()));
    }
}

/// Regression (found by the check_token fuzz target): a multi-byte character where the
/// "Authorization:" or "Bearer " prefix would end made input cleaning slice inside it and panic.
#[test]
fn multi_byte_prefix_lookalikes_are_judged_not_crashed() {
    for input in [
        "Authorization: Bea\u{fffd}\u{fffd}r eyJhbGciOiJIUzI1NiJ9.e30.x",
        "Bearer\u{e9}eyJhbGciOiJIUzI1NiJ9.e30.x",
        "0123456789012\u{e9}",
    ] {
        let out = crate::support::mmjwt()
            .args(["check", "--now", "1700000000", input])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(10), "{input:?}: {out:?}");
    }
}

/// Source guard (RFC 7518 §3.2 wants a constant-time comparison): the MAC is compared in one
/// place only, `secret`'s `tag_matches` through `subtle`'s `ct_eq`, and no source line compares
/// signature or tag bytes with `==`/`!=` except by length.
#[test]
fn signatures_are_compared_only_in_constant_time() {
    let files = crate::support::source_files();
    assert!(files.len() > 10);
    let mut tag_comparisons = 0;
    for (f, text) in &files {
        if f.ends_with("secret.rs") {
            tag_comparisons += text.matches(".ct_eq(").count();
            assert!(
                text.contains("fn tag_matches(mac: &[u8; 32], tag: &[u8]) -> bool {")
                    && text.contains("diff.ct_eq(&0).into()"),
                "secret.rs: tag_matches is not the constant-time comparison"
            );
        }
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default().to_lowercase();
            let compares = code.contains("==") || code.contains("!=");
            let about_mac = ["sig", "tag", "mac", "hmac"]
                .iter()
                .any(|w| code.contains(w));
            if compares && about_mac {
                assert!(
                    code.contains(".len()"),
                    "{}:{}: compares MAC bytes directly: {line}",
                    f,
                    n + 1
                );
            }
        }
    }
    assert_eq!(
        tag_comparisons, 1,
        "the MAC is compared in exactly one place"
    );
}
