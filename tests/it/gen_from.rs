//! Black-box tests of `gen --from`: the no-edit round trip, each edit, member order, tokens of
//! other libraries (PyJWT's sorted keys, floats, escapes), standard input and prefixes, the
//! refusals of the result, bad input on each path, and the human output's snapshot.

use crate::support::snapshot::{Redact, run};
use crate::support::*;
use proptest::prelude::*;

/// Far in the future, so the tokens here are judged valid whatever the clock says.
const FAR: i64 = 4_102_444_800;

fn source_payload() -> String {
    format!(
        r#"{{"typ":"Bearer","sub":"alice","infobip-api-key":"test-app-code","iat":1700000000,"exp":{FAR},"jti":"j-1","iss":"test-app-code"}}"#
    )
}

/// `gen --from TOKEN` with the reference secret and `args`.
pub(crate) fn from(token: &str, args: &[&str]) -> std::process::Output {
    mmjwt()
        .env("MMJWT_SECRET", SECRET_HEX)
        .args(["gen", "--from", token])
        .args(args)
        .output()
        .unwrap()
}

/// The decoded header and payload JSON text of a token.
pub(crate) fn parts(token: &str) -> (String, String) {
    use base64::Engine as _;
    let d = |s: &str| {
        String::from_utf8(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(s)
                .unwrap(),
        )
        .unwrap()
    };
    let s: Vec<&str> = token.trim_end().split('.').collect();
    (d(s[0]), d(s[1]))
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn no_edits_and_the_same_secret_give_the_same_token() {
    let original = signed(HEADER, &source_payload(), &test_key());
    let out = from(&original, &[]);
    assert_eq!(stdout_of_success(out), format!("{original}\n"));
    // Signed with another key, the segments are the same and the signature the reference key's.
    let other = signed(
        HEADER,
        &source_payload(),
        &mmjwt::secret::HmacKey::new(b"x"),
    );
    let out = from(&other, &[]);
    assert_eq!(stdout_of_success(out), format!("{original}\n"));
    // The spec's reference token (expired long ago) comes back the same with --allow-expired.
    let out = from(REFERENCE_TOKEN, &["--allow-expired"]);
    let err = stderr(&out);
    assert_eq!(stdout_of_success(out), format!("{REFERENCE_TOKEN}\n"));
    assert!(err.contains("refused as JWT_TOKEN_EXPIRED"), "{err}");
}

#[test]
fn each_edit_changes_its_member_in_place_and_says_so() {
    let original = signed(HEADER, &source_payload(), &test_key());
    let cases: &[(&[&str], &str, &str, &str)] = &[
        (
            &["--user-id", "bob"],
            HEADER,
            r#""sub":"bob","#,
            r#"payload "sub" replaced"#,
        ),
        (
            &["--key-id", "k2"],
            r#"{"alg":"HS256","typ":"JWT","kid":"k2"}"#,
            r#""sub":"alice","#,
            r#"header "kid" replaced"#,
        ),
        (
            &["--app-code", "other"],
            HEADER,
            r#""infobip-api-key":"other","iat""#,
            r#"payload "infobip-api-key" replaced, payload "iss" replaced"#,
        ),
        (
            &["--jti", "j-2"],
            HEADER,
            r#""jti":"j-2","#,
            r#"payload "jti" replaced"#,
        ),
        (
            &["--exp", "4102444801"],
            HEADER,
            r#""exp":4102444801,"#,
            r#"payload "exp" replaced"#,
        ),
        (
            &["--now", "1700000001"],
            HEADER,
            r#""iat":1700000001,"exp":4102444800,"#,
            r#"payload "iat" replaced"#,
        ),
        (
            &["--now", "1700000001", "--ttl", "1h"],
            HEADER,
            r#""iat":1700000001,"exp":1700003601,"#,
            r#"payload "iat" replaced, payload "exp" replaced"#,
        ),
        (
            &["--claim", "plan=pro", "--claim", "n:=[1,2]"],
            HEADER,
            r#""iss":"test-app-code","plan":"pro","n":[1,2]}"#,
            r#"payload "plan" appended, payload "n" appended"#,
        ),
        (
            &["--unset", "iss"],
            HEADER,
            r#""jti":"j-1"}"#,
            r#"payload "iss" removed"#,
        ),
        (
            &["--no-iss"],
            HEADER,
            r#""jti":"j-1"}"#,
            r#"payload "iss" removed"#,
        ),
    ];
    for (args, header, in_payload, note) in cases {
        let out = from(&original, args);
        let err = stderr(&out);
        let token = stdout_of_success(out);
        let (h, p) = parts(&token);
        assert_eq!(h, *header, "{args:?}");
        assert!(p.contains(in_payload), "{args:?}: {p}");
        assert!(
            err.contains(&format!("mmjwt: note: edited: {note}\n")),
            "{args:?}: {err}"
        );
        // The result verifies with the secret it was signed with.
        let check = mmjwt()
            .env("MMJWT_SECRET", SECRET_HEX)
            .args(["--json", "check", "--now", "1700000001", token.trim_end()])
            .output()
            .unwrap();
        assert_eq!(json_out(&check)["verified"], true, "{args:?}");
    }
}

#[test]
fn a_pyjwt_token_keeps_its_sorted_header_numbers_and_escapes() {
    // PyJWT writes the header with sorted keys; json.dumps writes floats like 1.0 and escapes
    // non-ASCII as \u00e9; other libraries escape '/'.
    let header = r#"{"alg":"HS256","kid":"test-key-id","typ":"JWT"}"#;
    let payload = format!(
        r#"{{"exp":{FAR},"iat":1700000000,"infobip-api-key":"test-app-code","jti":"j-1","name":"Jos\u00e9 \/ Ana","score":1.5e9,"sub":"alice","typ":"Bearer","v":1.0}}"#
    );
    let original = signed(header, &payload, &mmjwt::secret::HmacKey::new(b"py"));
    let out = from(&original, &["--claim", "plan=pro"]);
    let token = stdout_of_success(out);
    let (h, p) = parts(&token);
    assert_eq!(h, header);
    assert_eq!(
        p,
        format!("{}{}", &payload[..payload.len() - 1], r#","plan":"pro"}"#)
    );
    // Re-signed alone, it is the same JSON signed with the reference key.
    let out = from(&original, &[]);
    assert_eq!(
        stdout_of_success(out),
        format!("{}\n", signed(header, &payload, &test_key()))
    );
}

#[test]
fn float_times_are_refused_as_the_server_refuses_them_and_an_edit_mends_them() {
    // PyJWT given time.time() writes a float iat; the server wants integer seconds.
    let payload = format!(
        r#"{{"typ":"Bearer","sub":"alice","infobip-api-key":"test-app-code","iat":1.7e9,"exp":{FAR}.0,"jti":"j-1"}}"#
    );
    let original = signed(HEADER, &payload, &test_key());
    let out = from(&original, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("CLAIM_TYPE_INVALID (iat must be an integer number of seconds"),
        "{err}"
    );
    let out = from(
        &original,
        &["--now", "1700000000", "--exp", &FAR.to_string()],
    );
    let (_, p) = parts(&stdout_of_success(out));
    assert_eq!(
        p,
        payload.replace("1.7e9", "1700000000").replace(".0,", ",")
    );
}

#[test]
fn standard_input_and_prefixes_are_read_as_check_reads_them() {
    let original = signed(HEADER, &source_payload(), &test_key());
    let out = mmjwt()
        .env("MMJWT_SECRET", SECRET_HEX)
        .args(["gen", "--from", "-"])
        .write_stdin(format!("Authorization: Bearer {original}\r\n"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(stdout_of_success(out), format!("{original}\n"));
    assert!(
        err.contains("mmjwt: note: 'Authorization:' header name removed\n")
            && err.contains("mmjwt: note: 'Bearer ' prefix removed\n"),
        "{err}"
    );
    // The secret and the token cannot both come from standard input.
    let out = mmjwt()
        .args(["gen", "--from", "-", "--secret-stdin"])
        .write_stdin(original.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot carry both"));
    // Two lines are two tokens: refused.
    let out = mmjwt()
        .env("MMJWT_SECRET", SECRET_HEX)
        .args(["gen", "--from", "-"])
        .write_stdin(format!("{original}\n{original}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("more than one line"));
}

#[test]
fn bad_input_gets_one_line_and_exit_2_on_every_path() {
    let key = test_key();
    let far = source_payload();
    let cases: Vec<(String, Vec<&str>, &str)> = vec![
        (
            "abc".into(),
            vec![],
            "the token has 1 dot-separated segment;",
        ),
        (
            "a*b.e30.x".into(),
            vec![],
            "the header segment is not base64url",
        ),
        (
            format!("{}.{}", b64("{\"a\":"), b64(&far)),
            vec![],
            "the header is not valid JSON (EOF while parsing",
        ),
        (
            signed(HEADER, "[1]", &key),
            vec![],
            "the payload is an array, not a JSON object",
        ),
        (
            signed(HEADER, r#"{"sub":"a","sub":"b"}"#, &key),
            vec![],
            r#"the payload has the member "sub" more than once"#,
        ),
        (
            signed(HEADER, &far, &key),
            vec!["--unset", "nbf"],
            r#"cannot unset "nbf": the payload has no such claim"#,
        ),
        (
            signed(HEADER, &far, &key),
            vec!["--claim", "x=1", "--unset", "x"],
            r#"the payload member "x" is edited twice"#,
        ),
        (
            signed(HEADER, &far, &key),
            vec!["--user-id", "-"],
            "with --from give one --user-id ID",
        ),
        (
            signed(HEADER, &far, &key),
            vec!["--unset", "jti"],
            "JWT_TOKEN_STRUCTURE_INVALID",
        ),
        (String::new(), vec![], "the token is empty"),
    ];
    for (token, args, message) in cases {
        let out = from(&token, &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?} {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("mmjwt: error: "), "{err}");
        assert!(err.contains(message), "{args:?}: {err}");
        // No part of the token is echoed.
        if token.len() > 8 {
            assert!(!err.contains(&token[..8]), "{err}");
        }
    }
    // With --json, the error object.
    let out = mmjwt()
        .env("MMJWT_SECRET", SECRET_HEX)
        .args(["--json", "gen", "--from", "abc"])
        .output()
        .unwrap();
    assert_eq!(json_out(&out)["error"]["kind"], "usage");
    // No secret: the same error as gen's.
    let out = mmjwt()
        .args(["gen", "--from", &signed(HEADER, &far, &key)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no secret"));
}

#[test]
fn an_edit_that_breaks_the_token_is_refused_or_said() {
    let original = signed(HEADER, &source_payload(), &test_key());
    // Expired: refused without --allow-expired, made and said with it.
    let out = from(&original, &["--exp", "1700000000"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("JWT_TOKEN_EXPIRED") && err.contains("use --allow-expired for fixtures"),
        "{err}"
    );
    let out = from(&original, &["--exp", "1700000000", "--allow-expired"]);
    let err = stderr(&out);
    stdout_of_success(out);
    assert!(err.contains("mmjwt: warning: the edited token is refused as JWT_TOKEN_EXPIRED"));
    assert!(err.contains("(made anyway: --allow-expired)"), "{err}");
    // Empty values: --allow-empty.
    let out = from(&original, &["--user-id", ""]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("CLAIM_EMPTY (sub is an empty string); use --allow-empty"));
    let out = from(&original, &["--user-id", "", "--allow-empty"]);
    assert!(stderr(&out).contains("refused as CLAIM_EMPTY"));
    stdout_of_success(out);
}

#[test]
fn json_gives_the_token_header_claims_changes_and_problems() {
    let original = signed(HEADER, &source_payload(), &test_key());
    let out = from(
        &original,
        &["--json", "--claim", "plan=pro", "--unset", "iss"],
    );
    let v = json_out(&out);
    assert_eq!(v["schema"], 2);
    assert!(v.get("break").is_none());
    let token = v["token"].as_str().unwrap();
    assert_eq!(parts(token).0, HEADER);
    assert_eq!(v["header"]["kid"], "test-key-id");
    assert_eq!(v["claims"]["plan"], "pro");
    assert!(v["claims"].get("iss").is_none());
    assert_eq!(v["expires_at"], "2100-01-01T00:00:00Z");
    assert_eq!(
        v["changes"],
        serde_json::json!([
            {"where": "payload", "member": "plan", "action": "appended"},
            {"where": "payload", "member": "iss", "action": "removed"},
        ])
    );
    assert_eq!(v["problems"], serde_json::json!([]));
    // Notes go into the data, not onto stderr.
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn out_writes_the_token_to_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jwt");
    let original = signed(HEADER, &source_payload(), &test_key());
    let out = from(&original, &["--out", path.to_str().unwrap()]);
    assert!(stdout_of_success(out).is_empty());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{original}\n")
    );
}

#[test]
fn snapshot_gen_from() {
    let original = signed(HEADER, &source_payload(), &test_key());
    run(&[
        "gen",
        "--from",
        &format!("Bearer {original}"),
        "--user-id",
        "bob",
        "--claim",
        "plan=pro",
        "--unset",
        "iss",
    ])
    .env("MMJWT_SECRET", SECRET_HEX)
    .snapshot("gen/from", Redact::default());
    run(&[
        "gen",
        "--from",
        &original,
        "--exp",
        "1699999999",
        "--now",
        "1700000000",
        "--allow-expired",
        "--json",
    ])
    .env("MMJWT_SECRET", SECRET_HEX)
    .snapshot("gen/from-json-allowed", Redact::default());
    run(&["gen", "--from", &original, "--unset", "exp"])
        .env("MMJWT_SECRET", SECRET_HEX)
        .snapshot("gen/from-refused", Redact::default());
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: Some(proptest_persistence()),
        ..ProptestConfig::default()
    })]

    /// Random extra members, written in any JSON form: with no edits the segments come back
    /// byte for byte.
    #[test]
    fn the_no_edit_round_trip_is_byte_identical(
        extra in prop::collection::vec(
            ("[a-z]{1,6}", prop_oneof![
                "-?[1-9][0-9]{0,9}(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?",
                Just(r#""\u00e9\/\n""#.to_string()),
                "\"[ -!#-\\[\\]-~]{0,10}\"",
                Just(r#"{"a" : [true,null]}"#.to_string()),
            ]),
            0..6,
        ),
        spaced in any::<bool>(),
    ) {
        let sep = if spaced { ", " } else { "," };
        let mut seen = std::collections::HashSet::new();
        let mut members = vec![source_payload()[1..source_payload().len() - 1].to_string()];
        members.extend(
            extra
                .iter()
                .filter(|(k, _)| seen.insert(k.clone()) && !source_payload().contains(&format!("\"{k}\"")))
                .map(|(k, v)| format!("\"{k}\": {v}")),
        );
        let payload = format!("{{{}}}", members.join(sep));
        let original = signed(HEADER, &payload, &test_key());
        let out = from(&original, &[]);
        prop_assert_eq!(stdout_of_success(out), format!("{original}\n"));
    }
}
