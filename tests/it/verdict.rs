//! `token::verdict` (the sandbox's judgement without the report) held equal to `check`: the
//! problem it answers is `check`'s primary problem, word for word, and a valid token names the
//! same person, on the whole corpus and on generated and mutated tokens.

use crate::corpus::{cases, ring_of};
use crate::support::{HEADER, signed, test_key};
use mmjwt::sdk::SdkSelection;
use mmjwt::secret::HmacKey;
use mmjwt::token::check::{Expectations, Keys, Options, check};
use mmjwt::token::verdict::{Identity, verdict};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::HashMap;

/// What `check` says, in the verdict's terms.
fn from_check(token: &str, opts: &Options<'_>) -> (Option<String>, Result<Identity, String>) {
    let r = check(token, opts);
    let claim = |n: &str| r.claims.as_ref().and_then(|c| c.get(n)).cloned();
    let sub = claim("sub").and_then(|v| v.as_str().map(str::to_owned));
    let outcome = match r.primary_problem() {
        Some(p) => Err(format!("{:?} {:?} {}", p.code, p.source, p.message)),
        None => Ok(Identity {
            sub: sub.as_deref().unwrap().into(),
            jti: claim("jti").unwrap().as_str().unwrap().into(),
            exp: claim("exp").unwrap().as_i64().unwrap(),
        }),
    };
    (sub, outcome)
}

/// Compares the verdict with `check`; the disagreement.
fn disagreement(token: &str, opts: &Options<'_>) -> Option<String> {
    let want = from_check(token, opts);
    let v = verdict(token, opts);
    let got = (
        v.sub().map(str::to_owned),
        v.outcome.map_err(|r| {
            format!(
                "{:?} {:?} {}",
                r.problem.code, r.problem.source, r.problem.message
            )
        }),
    );
    (got != want).then(|| format!("verdict {got:?}, check {want:?}"))
}

#[test]
fn verdict_equals_checks_primary_problem_on_the_corpus() {
    let mut failures = Vec::new();
    let mut valid = 0;
    let all = cases();
    for case in &all {
        let key = case.key.as_deref().map(HmacKey::new);
        let ring = case.key.as_deref().map(|k| ring_of(&case.kid, k));
        let single = key.as_ref().map_or(Keys::None, Keys::Single);
        let ringed = ring.as_ref().map_or(Keys::None, |r| Keys::Ring(r));
        let expect = Expectations {
            sub: case.expect.sub.as_deref(),
            app_code: case.expect.app_code.as_deref(),
            kid: case.expect.kid.as_deref(),
        };
        for (keys, expect, sdk, require) in [
            // The sandbox's settings, then check's with and without the SDKs.
            (ringed, Expectations::default(), SdkSelection::NONE, true),
            (single, expect, SdkSelection::NONE, case.require_signature),
            (single, expect, SdkSelection::BOTH, case.require_signature),
            (ringed, expect, SdkSelection::NONE, false),
        ] {
            let opts = Options {
                now: case.now,
                leeway: case.leeway,
                keys,
                expect,
                require_signature: require,
                sdk,
            };
            if let Some(d) = disagreement(&case.token, &opts) {
                failures.push(format!("{}: {d}", case.id));
            }
            valid += usize::from(verdict(&case.token, &opts).outcome.is_ok());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The corpus's valid cases name their person (the verdict does not only ever refuse).
    assert!(valid >= 5, "the verdict accepted {valid} times");
}

/// A header: the usual one, or one of the variations a server must refuse or may accept.
fn header() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just(HEADER.to_owned()),
        1 => Just(r#"{"alg":"HS256","typ":"JWT"}"#.to_owned()),
        1 => Just(r#"{"alg":"HS256","kid":"test-key-id"}"#.to_owned()),
        1 => Just(r#"{"alg":"HS256","typ":"jwt","kid":"test-key-id"}"#.to_owned()),
        1 => Just(r#"{"alg":"HS384","typ":"JWT","kid":"test-key-id"}"#.to_owned()),
        1 => Just(r#"{"alg":"HS256","typ":"JWT","kid":""}"#.to_owned()),
        1 => Just(r#"{"alg":"HS256","typ":"JWT","kid":7}"#.to_owned()),
        1 => Just(r#"{"alg":"HS256","typ":"JWT","kid":"other"}"#.to_owned()),
        1 => Just(r#"{"alg":"HS256","typ":"JWT","kid":"test-key-id","crit":["b64"]}"#.to_owned()),
        1 => Just(r#"{"alg":"HS256","typ":"JWT","kid":"test-key-id","kid":"test-key-id"}"#.to_owned()),
        1 => Just(r#"{"alg":"HS256","typ":"JWT","kid":"test-key-id","jku":"http://x"}"#.to_owned()),
        1 => Just(r#" {"alg" : "HS256", "typ":"JWT", "kid":"test-\u006bey-id"} "#.to_owned()),
    ]
}

/// A claim value: what a real token carries, or a wrong type.
fn text_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => "[a-z0-9é-]{1,12}".prop_map(Value::from),
        1 => Just(Value::from("")),
        1 => "[\"\\\\\n\u{7f}a]{1,4}".prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => Just(Value::Null),
    ]
}

fn date(now: i64) -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => (-1000i64..1000).prop_map(move |d| Value::from(now + d)),
        1 => Just(json!(1.5)),
        1 => Just(json!("1700000000")),
        1 => Just(json!(u64::MAX)),
    ]
}

prop_compose! {
    fn payload(now: i64)(
        typ in prop_oneof![8 => Just(json!("Bearer")), 1 => Just(json!("bearer")), 1 => Just(json!(1))],
        sub in text_value(),
        app in prop_oneof![8 => Just(json!("test-app-code")), 1 => Just(json!("other")), 1 => Just(json!(""))],
        jti in text_value(),
        iat in date(now),
        exp in date(now),
        nbf in proptest::option::weighted(0.2, date(now)),
        drop in proptest::option::weighted(0.15, 0usize..6),
        extra in proptest::option::weighted(0.2, prop_oneof![
            Just(("aud", json!("x"))),
            Just(("plan", json!({"a": [1, 2]}))),
            Just(("sub", json!("again"))),
            Just(("n", json!(-0))),
            // Names close to the mandatory ones, which must not be mistaken for them.
            Just(("infobip-api-key", json!("test-app-code"))),
            Just(("infobip-api-kez", json!("test-app-code"))),
            Just(("jti12345", json!("x"))),
            // The sandbox reads the payload `gen` writes (ending in iss or not) by its fixed
            // bytes; iss of other kinds must send it to the other reader, with check's answer.
            Just(("iss", json!("test-app-code"))),
            Just(("iss", json!("a\"b"))),
            Just(("iss", json!(7))),
        ]),
    ) -> String {
        let mut members = vec![
            ("typ", typ), ("sub", sub), ("infobip-api-key", app),
            ("iat", iat), ("exp", exp), ("jti", jti),
        ];
        if let Some(i) = drop {
            members.remove(i);
        }
        if let Some(n) = nbf {
            members.push(("nbf", n));
        }
        let mut text: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("{}:{v}", Value::from(*k)))
            .collect();
        if let Some((k, v)) = extra {
            text.push(format!("{}:{v}", Value::from(k)));
        }
        format!("{{{}}}", text.join(","))
    }
}

const NOW: i64 = 1_700_000_000;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Generated tokens (signed with the right key or not, then possibly edited), judged with
    /// the sandbox's options and with check's: the verdict is check's.
    #[test]
    fn verdict_equals_check_on_generated_tokens(
        header in header(),
        payload in payload(NOW),
        right_key in proptest::bool::weighted(0.8),
        edit in proptest::option::weighted(0.25, (any::<usize>(), proptest::sample::select(vec!['A', '.', '=', '+', ' ', 'é']))),
        leeway in prop_oneof![4 => Just(0i64), 1 => 0i64..120],
        expect_sub in proptest::option::weighted(0.2, "[a-z0-9é-]{1,12}"),
        sdk in prop_oneof![Just(SdkSelection::NONE), Just(SdkSelection::BOTH)],
    ) {
        let key = if right_key { test_key() } else { HmacKey::new(b"another key") };
        let mut token = signed(&header, &payload, &key);
        if let Some((at, c)) = edit {
            let mut chars: Vec<char> = token.chars().collect();
            let n = chars.len();
            chars[at % n] = c;
            token = chars.into_iter().collect();
        }
        let ring = std::collections::HashMap::from([("test-key-id".to_owned(), test_key())]);
        let the_key = test_key();
        for (keys, require) in [(Keys::Ring(&ring), true), (Keys::Single(&the_key), false), (Keys::None, false), (Keys::None, true)] {
            let opts = Options {
                now: NOW,
                leeway,
                keys,
                expect: Expectations {
                    sub: expect_sub.as_deref(),
                    app_code: Some("test-app-code"),
                    kid: None,
                },
                require_signature: require,
                sdk,
            };
            if let Some(d) = disagreement(&token, &opts) {
                prop_assert!(false, "{}: {}", token, d);
            }
        }
    }

    /// Key ids of every kind: a token `gen` makes for one, with the right key or another id's,
    /// gets check's verdict, and is accepted exactly when the right key signed it.
    #[test]
    fn key_ids_of_every_kind_are_judged_as_check_judges_them(
        kid in prop_oneof![
            4 => "[a-zA-Z0-9._-]{1,24}",
            1 => "[\\PC]{1,8}",
            1 => "[\"\\\\\u{1}\u{7f}é a]{0,6}",
        ],
        other in "[a-z]{1,6}",
        signed_by_other in proptest::bool::weighted(0.2),
    ) {
        use mmjwt::token::mint::{Claims, Minter};
        let other = format!("{other}-x");
        prop_assume!(kid != other);
        let keys = HashMap::from([(kid.clone(), test_key()), (other, HmacKey::new(b"another key"))]);
        let signer = if signed_by_other { HmacKey::new(b"another key") } else { test_key() };
        let mut minter = Minter::new(&kid, signer);
        let (token, _) = minter.mint(&Claims {
            sub: "alice",
            app_code: "test-app-code",
            iat: NOW - 5,
            exp: NOW + 900,
            jti: "j-1",
            iss: None,
            extra: &[],
        });
        {
            let opts = Options {
                now: NOW,
                leeway: 0,
                keys: Keys::Ring(&keys),
                expect: Expectations { app_code: Some("test-app-code"), ..Expectations::default() },
                require_signature: true,
                sdk: SdkSelection::NONE,
            };
            prop_assert_eq!(disagreement(&token, &opts), None);
            prop_assert_eq!(verdict(&token, &opts).outcome.is_ok(), !signed_by_other && !kid.is_empty());
        }
    }
}

#[test]
fn tokens_as_gen_makes_them_name_their_person() {
    use mmjwt::token::mint::{Claims, Minter};
    let key = test_key();
    let mut minter = Minter::new("test-key-id", key.clone());
    let ring = std::collections::HashMap::from([("test-key-id".to_owned(), key)]);
    let opts = Options {
        now: NOW,
        leeway: 0,
        keys: Keys::Ring(&ring),
        expect: Expectations {
            app_code: Some("test-app-code"),
            ..Expectations::default()
        },
        require_signature: true,
        sdk: SdkSelection::NONE,
    };
    for sub in ["alice", "ext-user-1", "Zoë", "a b"] {
        let (token, _) = minter.mint(&Claims {
            sub,
            app_code: "test-app-code",
            iat: NOW - 5,
            exp: NOW + 900,
            jti: "00000000-0000-4000-8000-000000000001",
            iss: Some("test-app-code"),
            extra: &[],
        });
        let want = Identity {
            sub: sub.into(),
            jti: "00000000-0000-4000-8000-000000000001".into(),
            exp: NOW + 900,
        };
        assert_eq!(verdict(&token, &opts).outcome, Ok(want));
        assert_eq!(disagreement(&token, &opts), None);
    }
}
