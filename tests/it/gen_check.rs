//! Black-box tests of `gen` and `check`: the reference token, refusals, batch order, exit codes,
//! stream separation, JSON shapes, colour control and standard input.

use crate::support::*;
use mmjwt::secret::Secret;
use predicates::prelude::*;

const REF_ARGS: [&str; 13] = [
    "gen",
    "--user-id",
    "ext-user-1",
    "--now",
    "1700000000",
    "--ttl",
    "60s",
    "--jti",
    "00000000-0000-4000-8000-000000000001",
    "--no-iss",
    "--app-code",
    "test-app-code",
    "--key-id",
];

#[test]
fn gen_reproduces_the_reference_token_byte_for_byte() {
    let out = mmjwt()
        .env("MMJWT_SECRET", SECRET_HEX.to_uppercase())
        .args(REF_ARGS)
        .arg("test-key-id")
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout_of_success(out), format!("{REFERENCE_TOKEN}\n"));
}

#[test]
fn gen_secret_sources_agree() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key.hex");
    std::fs::write(&file, format!("  {SECRET_HEX}\n")).unwrap();
    let from_file = mmjwt()
        .args(REF_ARGS)
        .arg("test-key-id")
        .arg("--secret-file")
        .arg(&file)
        .output()
        .unwrap();
    let from_stdin = mmjwt()
        .args(REF_ARGS)
        .arg("test-key-id")
        .arg("--secret-stdin")
        .write_stdin(SECRET_HEX)
        .output()
        .unwrap();
    let from_arg = mmjwt()
        .args(REF_ARGS)
        .arg("test-key-id")
        .args(["--secret", SECRET_HEX])
        .output()
        .unwrap();
    for o in [&from_file, &from_stdin, &from_arg] {
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            format!("{REFERENCE_TOKEN}\n")
        );
    }
    // argv is readable by other users: a warning, but never the value.
    let err = String::from_utf8_lossy(&from_arg.stderr);
    assert!(err.contains("warning") && err.contains("argv"), "{err}");
    assert!(!err.contains(SECRET_HEX));
}

#[cfg(unix)]
#[test]
fn secret_file_readable_by_others_is_warned_about() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key.hex");
    std::fs::write(&file, SECRET_HEX).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    mmjwt()
        .args(REF_ARGS)
        .arg("test-key-id")
        .arg("--secret-file")
        .arg(&file)
        .assert()
        .success()
        .stderr(predicate::str::contains("readable by group or others"));
}

#[test]
fn malformed_secrets_are_named_not_echoed() {
    for (secret, needle) in [
        ("abc", "odd number of hex digits"),
        ("zz00112233445566", "not hex"),
        ("   ", "empty"),
    ] {
        let out = mmjwt()
            .env("MMJWT_SECRET", secret)
            .args(REF_ARGS)
            .arg("k")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{secret:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("mmjwt: error: ") && err.contains(needle),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        if secret.trim().len() > 2 {
            assert!(!err.contains(secret), "{err}");
        }
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn short_secret_is_warned_about() {
    mmjwt()
        .env("MMJWT_SECRET", "00112233")
        .args(REF_ARGS)
        .arg("k")
        .assert()
        .success()
        .stderr(predicate::str::contains("4 bytes"));
}

#[test]
fn gen_refuses_tokens_the_sdk_would_refuse() {
    // Missing app code and key id: usage errors, exit 2.
    mmjwt()
        .env("MMJWT_SECRET", SECRET_HEX)
        .args(["gen", "--user-id", "u", "--key-id", "k"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--app-code"));
    mmjwt()
        .env("MMJWT_SECRET", SECRET_HEX)
        .args(["gen", "--user-id", "u", "--app-code", "a"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--key-id"));
    mmjwt_with_creds()
        .args(["gen", "--user-id", ""])
        .assert()
        .code(2);
    mmjwt_with_creds()
        .args([
            "gen",
            "--user-id",
            "u",
            "--now",
            "1700000000",
            "--exp",
            "1700000000",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("JWT_TOKEN_EXPIRED"));
    // ...unless told it is a fixture.
    let out = mmjwt_with_creds()
        .args([
            "gen",
            "--user-id",
            "u",
            "--now",
            "1700000000",
            "--exp",
            "1699999999",
            "--allow-expired",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap();
    mmjwt_with_creds()
        .args(["check", "--now", "1700000000", token.trim()])
        .assert()
        .code(11);
    // No secret at all.
    mmjwt()
        .args(["gen", "--user-id", "u", "--app-code", "a", "--key-id", "k"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("MMJWT_SECRET"));
}

#[test]
fn gen_json_shape_and_claim_order() {
    let out = mmjwt_with_creds()
        .args([
            "gen",
            "--user-id",
            "alice",
            "--now",
            "1700000000",
            "--ttl",
            "2h",
            "--claim",
            "plan=pro",
        ])
        .args(["--claim", "seats:=3", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v = json_out(&out);
    let claims = v["claims"].as_object().unwrap();
    let keys: Vec<&str> = claims.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "typ",
            "sub",
            "infobip-api-key",
            "iat",
            "exp",
            "jti",
            "iss",
            "plan",
            "seats"
        ]
    );
    assert_eq!(claims["exp"], 1_700_007_200);
    assert_eq!(claims["iss"], "test-app-code");
    assert_eq!(claims["seats"], 3);
    assert_eq!(
        v["header"],
        serde_json::json!({"alg":"HS256","typ":"JWT","kid":"test-key-id"})
    );
    assert_eq!(v["expires_at"], "2023-11-15T00:13:20Z");
    let jti = claims["jti"].as_str().unwrap();
    assert_eq!(jti.len(), 36);
    assert_eq!(&jti[14..15], "4");
    // The token in the object is the one the claims describe.
    let token = v["token"].as_str().unwrap();
    let checked = mmjwt_with_creds()
        .args([
            "check",
            "--json",
            "--now",
            "1700000100",
            "--user-id",
            "alice",
            token,
        ])
        .output()
        .unwrap();
    let c = json_out(&checked);
    assert_eq!(c["valid"], true, "{c}");
    assert_eq!(c["verified"], true);
    assert_eq!(c["claims"], v["claims"]);
}

#[test]
fn gen_out_writes_a_private_file_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jwt");
    let out = mmjwt_with_creds()
        .args(["gen", "--user-id", "u", "--out"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let token = std::fs::read_to_string(&path).unwrap();
    assert_eq!(token.trim().split('.').count(), 3);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn gen_batch_keeps_order_and_reports_bad_lines() {
    let ids: Vec<String> = (0..500).map(|i| format!("user-{i}")).collect();
    let input = ids.join("\n") + "\n";
    let out = mmjwt_with_creds()
        .args(["gen", "--user-id", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    let tokens: Vec<String> = stdout_of_success(out).lines().map(String::from).collect();
    assert_eq!(tokens.len(), 500);
    let key = Secret::from_hex(SECRET_HEX).unwrap().hmac_key();
    let mut jtis = std::collections::HashSet::new();
    for (id, token) in ids.iter().zip(&tokens) {
        let r = mmjwt::token::check::check(
            token,
            &mmjwt::token::check::Options {
                keys: mmjwt::token::check::Keys::Single(&key),
                expect: mmjwt::token::check::Expectations {
                    sub: Some(id),
                    ..Default::default()
                },
                ..mmjwt::token::check::Options::at(mmjwt::time::now_unix())
            },
        );
        assert!(r.valid(), "{id}: {:?}", r.problems);
        assert!(jtis.insert(r.claims.unwrap()["jti"].as_str().unwrap().to_string()));
    }
    // A bad line is reported with its number; the good ones still come out, in order.
    let out = mmjwt_with_creds()
        .args(["gen", "--user-id", "-"])
        .write_stdin("a\n\nb\r\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2"));
}

/// Batch `gen` mints plain tokens on a fast path of its own; every token it makes must be the one
/// `gen --user-id ID --jti JTI` makes for the same id, jti and options. Ids cover JSON escapes,
/// non-ASCII text and every length modulo 3, over several chunks of the pipeline.
#[test]
fn gen_batch_equals_one_at_a_time() {
    let shapes = [
        "u",
        "ab",
        "abc",
        "quo\"te",
        "back\\slash",
        "tab\there",
        "ünï😀",
        "</x>",
        "\u{1}",
    ];
    let ids: Vec<String> = (0..9_000)
        .map(|i| format!("{}{}", shapes[i % shapes.len()], "x".repeat(i % 7)))
        .collect();
    let opts = [
        "--now",
        "1700000000",
        "--ttl",
        "1h",
        "--claim",
        "role=admin",
    ];
    let out = mmjwt_with_creds()
        .args(["gen", "--user-id", "-"])
        .args(opts)
        .write_stdin(ids.join("\n") + "\n")
        .output()
        .unwrap();
    let stdout = stdout_of_success(out);
    let tokens: Vec<&str> = stdout.lines().collect();
    assert_eq!(tokens.len(), ids.len());
    let jti_of = |token: &str| -> String {
        let payload = token.split('.').nth(1).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&mmjwt::b64::decode_strict(payload).unwrap()).unwrap();
        claims["jti"].as_str().unwrap().to_string()
    };
    // Every token against the library's general minter, with the claims `gen` writes.
    let extra = vec![("role".to_string(), serde_json::Value::from("admin"))];
    let mut minter = mmjwt::token::mint::Minter::new("test-key-id", test_key());
    for (id, token) in ids.iter().zip(&tokens) {
        let jti = jti_of(token);
        let (want, _) = minter.mint(&mmjwt::token::mint::Claims {
            sub: id,
            app_code: "test-app-code",
            iat: 1_700_000_000,
            exp: 1_700_003_600,
            jti: &jti,
            iss: Some("test-app-code"),
            extra: &extra,
        });
        assert_eq!(*token, want, "user id {id:?}");
    }
    // And a sample against the command itself, one process per token.
    for i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 4_100, 8_999] {
        let one = mmjwt_with_creds()
            .args(["gen", "--user-id", &ids[i], "--jti", &jti_of(tokens[i])])
            .args(opts)
            .output()
            .unwrap();
        assert_eq!(stdout_of_success(one), format!("{}\n", tokens[i]));
    }
}

#[test]
fn check_exit_codes_one_per_failure_class() {
    let key = test_key();
    let now = 1_700_000_030_i64;
    let good = signed(
        HEADER,
        &payload("alice", 1_700_000_000, 1_700_000_060),
        &key,
    );
    let expired = signed(
        HEADER,
        &payload("alice", 1_699_000_000, 1_699_000_060),
        &key,
    );
    let mut bad_sig = good.clone();
    bad_sig.pop();
    bad_sig.push(if good.ends_with('A') { 'Q' } else { 'A' });
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        (vec![good.clone()], 0, ""),
        (
            vec!["not-a-token".into()],
            10,
            "JWT_TOKEN_STRUCTURE_INVALID",
        ),
        (vec![expired], 11, "JWT_TOKEN_EXPIRED"),
        (vec![bad_sig], 12, "SIGNATURE_INVALID"),
        (
            vec![good.clone(), "--user-id".into(), "bob".into()],
            13,
            "SUB_MISMATCH",
        ),
        (
            vec![good.clone(), "--app-code".into(), "other".into()],
            13,
            "APP_CODE_MISMATCH",
        ),
        (
            vec![good.clone(), "--key-id".into(), "other".into()],
            13,
            "KID_MISMATCH",
        ),
    ];
    for (args, code, expect) in cases {
        let out = mmjwt()
            .env("MMJWT_SECRET", SECRET_HEX)
            .args(["check", "--json", "--now", &now.to_string()])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let v = json_out(&out);
        assert_eq!(v["exit_code"], code);
        if expect.is_empty() {
            assert_eq!(v["valid"], true);
            assert!(codes(&v).is_empty());
        } else {
            assert!(codes(&v).iter().any(|c| c == expect), "{args:?}: {v}");
        }
    }
    // Without a secret: valid but not verified; --require-signature makes that exit 14.
    let out = mmjwt()
        .args(["check", "--json", "--now", &now.to_string(), &good])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json_out(&out);
    assert_eq!(
        (v["valid"].as_bool(), v["verified"].as_bool()),
        (Some(true), Some(false))
    );
    mmjwt()
        .args([
            "check",
            "--require-signature",
            "--now",
            &now.to_string(),
            &good,
        ])
        .assert()
        .code(14)
        .stdout(predicate::str::contains("SIGNATURE_NOT_VERIFIED"));
    // Human output says plainly that nothing was verified.
    mmjwt()
        .args(["check", "--now", &now.to_string(), &good])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("NOT verified"));
}

#[test]
fn rfc7515_a1_signature_verifies_and_the_profile_fails() {
    use base64::Engine as _;
    let k = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
        .unwrap();
    let hex: String = k.iter().map(|b| format!("{b:02x}")).collect();
    let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let out = mmjwt()
        .env("MMJWT_SECRET", hex)
        .args(["check", "--json", "--now", "1300819379", token])
        .output()
        .unwrap();
    let v = json_out(&out);
    assert_eq!(v["verified"], true, "{v}");
    let c = codes(&v);
    assert!(!c.contains(&"SIGNATURE_INVALID".to_string()));
    assert!(c.contains(&"JWT_TOKEN_STRUCTURE_INVALID".to_string()));
    assert_eq!(out.status.code(), Some(10));
}

#[test]
fn rfc7519_unsecured_token_is_alg_not_allowed_never_signature_invalid() {
    let token = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.";
    let out = mmjwt()
        .env("MMJWT_SECRET", SECRET_HEX)
        .args(["check", "--json", "--now", "1300819379", token])
        .output()
        .unwrap();
    let v = json_out(&out);
    let c = codes(&v);
    assert!(c.contains(&"ALG_NOT_ALLOWED".to_string()), "{v}");
    assert!(!c.contains(&"SIGNATURE_INVALID".to_string()));
    assert_eq!(v["verified"], false);
    assert_ne!(out.status.code(), Some(0));
}

#[test]
fn check_reads_stdin_strips_prefixes_and_reports_each_token() {
    let key = test_key();
    let good = signed(HEADER, &payload("a", 1_700_000_000, 1_700_000_060), &key);
    let expired = signed(HEADER, &payload("b", 1_600_000_000, 1_600_000_060), &key);
    let input = format!("Authorization: Bearer {good}\n\n  {expired}  \n");
    let out = mmjwt()
        .env("MMJWT_SECRET", SECRET_HEX)
        .args(["check", "--json", "--now", "1700000001"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(11));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[0]["input"]["line"], 1);
    let notes = lines[0]["input"]["notes"].to_string();
    assert!(
        notes.contains("Bearer") && notes.contains("Authorization"),
        "{notes}"
    );
    assert_eq!(lines[1]["claims"]["sub"], "b");
    assert_eq!(lines[1]["input"]["line"], 3);
    // '-' explicitly, and an empty stdin is a usage error.
    mmjwt()
        .args(["check", "-"])
        .write_stdin("\n\n")
        .assert()
        .code(2);
}

#[test]
fn json_schema_fields_are_present() {
    let key = test_key();
    let good = signed(HEADER, &payload("a", 1_700_000_000, 1_700_000_060), &key);
    let out = mmjwt()
        .args(["check", "--json", "--now", "1700000001", &good])
        .output()
        .unwrap();
    let v = json_out(&out);
    for field in [
        "schema",
        "valid",
        "verified",
        "exit_code",
        "header",
        "claims",
        "times",
        "sdk",
        "checks",
        "problems",
        "warnings",
    ] {
        assert!(v.get(field).is_some(), "missing {field}: {v}");
    }
    assert_eq!(
        v["sdk"]["android"],
        serde_json::json!({"accepted": true, "code": null, "message": null, "plugins": null, "empty_token": null, "legacy_code": null})
    );
    assert_eq!(
        v["sdk"]["ios"],
        serde_json::json!({"accepted": true, "code": null, "message": null, "plugins": null, "empty_token": null})
    );
    assert_eq!(v["schema"], 3);
    assert_eq!(v["times"]["exp"]["rfc3339"], "2023-11-14T22:14:20Z");
    assert_eq!(v["times"]["exp"]["relative"], "in 59s");
    // Undecodable token: header and claims are null, still one object.
    let out = mmjwt().args(["check", "--json", "x.y.z"]).output().unwrap();
    let v = json_out(&out);
    assert!(v["header"].is_null() && v["claims"].is_null());
    assert_eq!(v["sdk"]["ios"]["code"], "JWT_TOKEN_STRUCTURE_INVALID");
    // --sdk ios leaves android out.
    let out = mmjwt()
        .args(["check", "--json", "--sdk", "ios", &good])
        .output()
        .unwrap();
    assert!(json_out(&out)["sdk"]["android"].is_null());
}

#[test]
fn errors_are_one_line_on_stderr_and_structured_with_json() {
    let out = mmjwt()
        .args(["check", "--json", "--leeway", "5x", "a.b.c"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(err.starts_with("mmjwt: error: --leeway"), "{err}");
    assert_eq!(err.lines().count(), 1);
    let v = json_out(&out);
    assert_eq!(v["error"]["kind"], "usage");
    assert_eq!(v["error"]["exit_code"], 2);
    // clap's own errors use the same prefix and exit code.
    let out = mmjwt().args(["check", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("mmjwt: error: "));
    let out = mmjwt().args(["gen", "--json", "--bogus"]).output().unwrap();
    assert_eq!(json_out(&out)["error"]["exit_code"], 2);
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let key = test_key();
    let good = signed(HEADER, &payload("a", 1_700_000_000, 1_700_000_060), &key);
    let esc = predicate::str::contains("\u{1b}[");
    mmjwt()
        .args(["check", &good])
        .assert()
        .stdout(esc.clone().not());
    mmjwt()
        .args(["check", "--color", "always", &good])
        .assert()
        .stdout(esc.clone());
    mmjwt()
        .env("CLICOLOR_FORCE", "1")
        .args(["check", &good])
        .assert()
        .stdout(esc.clone());
    mmjwt()
        .env("NO_COLOR", "1")
        .args(["check", "--color", "always", &good])
        .assert()
        .stdout(esc.clone().not());
    // stderr is decided on its own: a piped stderr gets no colour in auto mode.
    mmjwt()
        .args(["gen", "--user-id", "u"])
        .assert()
        .stderr(esc.not());
}

#[test]
fn gen_and_check_round_trip_with_odd_user_ids() {
    for id in [
        "ünïcödé-😀",
        "quote\"back\\slash",
        "tab\tand space",
        "x".repeat(300).as_str(),
    ] {
        let out = mmjwt_with_creds()
            .args(["gen", "--user-id", id])
            .output()
            .unwrap();
        assert!(out.status.success(), "{id}");
        let token = String::from_utf8(out.stdout).unwrap();
        let out = mmjwt_with_creds()
            .args(["check", "--json", "--user-id", id, token.trim()])
            .output()
            .unwrap();
        let v = json_out(&out);
        assert_eq!(v["valid"], true, "{id}: {v}");
        assert_eq!(v["claims"]["sub"], id);
    }
}
