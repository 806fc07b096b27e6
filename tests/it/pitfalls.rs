//! The mistakes people make, each with its warning code and fix: SECRET_USED_AS_TEXT (the spec's
//! control vector, the upper-case text, the base64 reading; also in the sandbox's refusal),
//! EXPIRED_AT_ISSUE, SHORT_LIFETIME, TIME_IN_MILLISECONDS (AS_GIVEN_REFUSED is in `exact`), and
//! a clean token that gets none of them.

use crate::support::api::{Api, Auth};
use crate::support::*;
use base64::Engine as _;
use mmjwt::sandbox::{Clock, Config, Mode, Sandbox};
use mmjwt::secret::{HmacKey, Secret};
use serde_json::Value;

/// The spec's section 3 token signed with the ASCII of the hex string (its wrong-key control).
const CONTROL_SIGNATURE: &str = "MzmelvM8VEGQ4wzeEcL96DQxKJxlInGp-E-Wos3a6Do";
const NOW: i64 = 1_700_000_000;

fn control_token() -> String {
    let (input, _) = REFERENCE_TOKEN.rsplit_once('.').unwrap();
    format!("{input}.{CONTROL_SIGNATURE}")
}

fn check_json(token: &str, secret: bool) -> (Value, i32) {
    let mut c = if secret { mmjwt_with_creds() } else { mmjwt() };
    let out = c
        .args(["check", "--json", "--now", &NOW.to_string(), token])
        .output()
        .unwrap();
    (json_out(&out), out.status.code().unwrap())
}

fn warnings(v: &Value) -> Vec<(String, String)> {
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["code"].as_str().unwrap().to_string(),
                w["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn secret_used_as_text_on_the_spec_control_vector() {
    let (v, code) = check_json(&control_token(), true);
    assert_eq!(code, 12, "the signature is still invalid");
    assert_eq!(codes(&v), ["SIGNATURE_INVALID"]);
    assert!(
        v["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("secret's hex text as the key (SECRET_USED_AS_TEXT)"),
        "{}",
        v["problems"]
    );
    let w = warnings(&v);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "SECRET_USED_AS_TEXT");
    assert!(w[0].1.contains("hex text itself"), "{}", w[0].1);
    assert!(w[0].1.contains("fix: hex-decode the secret"), "{}", w[0].1);
    // The reference token itself (hex-decoded key) is clean.
    let (v, code) = check_json(REFERENCE_TOKEN, true);
    assert_eq!((code, v["valid"].as_bool()), (0, Some(true)), "{v}");
    assert!(warnings(&v).is_empty(), "{:?}", warnings(&v));
}

#[test]
fn secret_used_as_text_in_upper_case_and_read_as_base64() {
    let upper = HmacKey::new(SECRET_HEX.to_ascii_uppercase().as_bytes());
    let t = signed(HEADER, &payload("alice", NOW - 10, NOW + 900), &upper);
    let (v, _) = check_json(&t, true);
    assert_eq!(warnings(&v)[0].0, "SECRET_USED_AS_TEXT");

    let b64 = base64::engine::general_purpose::STANDARD
        .decode(SECRET_HEX)
        .unwrap();
    let t = signed(
        HEADER,
        &payload("alice", NOW - 10, NOW + 900),
        &HmacKey::new(&b64),
    );
    let (v, code) = check_json(&t, true);
    assert_eq!(code, 12);
    let w = warnings(&v);
    assert_eq!(w[0].0, "SECRET_USED_AS_TEXT");
    assert!(w[0].1.contains("decoded as base64"), "{}", w[0].1);
    assert!(
        v["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("read as base64"),
        "{}",
        v["problems"]
    );
}

#[test]
fn a_plain_wrong_key_is_not_called_secret_used_as_text() {
    let other = HmacKey::new(b"some other key entirely, 32 byte");
    let t = signed(HEADER, &payload("alice", NOW - 10, NOW + 900), &other);
    let (v, code) = check_json(&t, true);
    assert_eq!(code, 12);
    assert!(warnings(&v).is_empty(), "{:?}", warnings(&v));
    assert_eq!(
        v["problems"][0]["message"],
        "the HMAC-SHA256 signature does not match the secret"
    );
}

#[test]
fn expired_at_issue() {
    let t = signed(HEADER, &payload("alice", NOW - 5, NOW - 5), &test_key());
    let (v, code) = check_json(&t, true);
    assert_eq!(code, 11);
    let w = warnings(&v);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "EXPIRED_AT_ISSUE");
    assert!(w[0].1.contains("exp is equal to iat"), "{}", w[0].1);
    assert!(
        w[0].1.contains("fix: set exp = iat + the lifetime"),
        "{}",
        w[0].1
    );
    // exp before iat is the same mistake.
    let t = signed(HEADER, &payload("alice", NOW - 5, NOW - 65), &test_key());
    let (v, _) = check_json(&t, true);
    assert_eq!(warnings(&v)[0].0, "EXPIRED_AT_ISSUE");
    assert!(
        warnings(&v)[0].1.contains("60s before"),
        "{:?}",
        warnings(&v)
    );
}

#[test]
fn short_lifetime_is_a_warning_on_a_valid_token() {
    let t = signed(HEADER, &payload("alice", NOW - 5, NOW + 25), &test_key());
    let (v, code) = check_json(&t, true);
    assert_eq!((code, v["valid"].as_bool()), (0, Some(true)));
    let w = warnings(&v);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "SHORT_LIFETIME");
    assert!(w[0].1.contains("only 30s"), "{}", w[0].1);
    assert!(w[0].1.contains("fix:"), "{}", w[0].1);
    // 60 s is enough.
    let t = signed(HEADER, &payload("alice", NOW - 5, NOW + 55), &test_key());
    assert!(warnings(&check_json(&t, true).0).is_empty());
}

#[test]
fn time_in_milliseconds() {
    let ms = NOW * 1000;
    let t = signed(HEADER, &payload("alice", ms, ms + 900_000), &test_key());
    let (v, _) = check_json(&t, true);
    let w = warnings(&v);
    let names: Vec<&str> = w.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        names,
        ["TIME_IN_MILLISECONDS", "TIME_IN_MILLISECONDS"],
        "{w:?}"
    );
    assert!(
        w[0].1
            .starts_with(&format!("iat is {ms}, which is milliseconds")),
        "{}",
        w[0].1
    );
    assert!(w[1].1.starts_with("exp is "), "{}", w[1].1);
    assert!(w[1].1.contains("fix: divide by 1000"), "{}", w[1].1);
    // Only exp in milliseconds: no lifetime warning computed from the mixed units.
    let t = signed(HEADER, &payload("alice", NOW - 5, ms), &test_key());
    let names: Vec<String> = warnings(&check_json(&t, true).0)
        .into_iter()
        .map(|w| w.0)
        .collect();
    assert_eq!(names, ["TIME_IN_MILLISECONDS"]);
}

#[test]
fn a_clean_token_gets_no_warning_at_all() {
    let out = mmjwt_with_creds()
        .args(["gen", "--user-id", "alice", "--now", &NOW.to_string()])
        .output()
        .unwrap();
    let token = String::from_utf8(out.stdout).unwrap();
    for exact in [false, true] {
        let mut c = mmjwt_with_creds();
        c.args([
            "check",
            "--json",
            "--now",
            &NOW.to_string(),
            "--user-id",
            "alice",
        ]);
        if exact {
            c.arg("--exact");
        }
        let out = c.arg(token.trim()).output().unwrap();
        let v = json_out(&out);
        assert_eq!(out.status.code(), Some(0), "{v}");
        assert_eq!(v["verified"], true);
        assert!(warnings(&v).is_empty(), "{:?}", warnings(&v));
    }
    // The human report then has no warnings section.
    let out = mmjwt_with_creds()
        .args(["check", "--now", &NOW.to_string(), token.trim()])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8(out.stdout)
            .unwrap()
            .contains("\nwarnings\n")
    );
}

#[test]
fn human_report_names_each_code() {
    let t = signed(HEADER, &payload("alice", NOW - 5, NOW - 5), &test_key());
    let out = mmjwt()
        .args(["check", "--now", &NOW.to_string(), &t])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("\nwarnings\n  ! EXPIRED_AT_ISSUE exp is equal to iat"),
        "{s}"
    );
}

// ---------------------------------------------------------------- the sandbox says it too

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_refusal_names_a_secret_used_as_text() {
    let secret = Secret::from_hex(SECRET_HEX).unwrap();
    let mut cfg = Config::new(Mode::JwtOnly, "test-app-code").with_secret("test-key-id", &secret);
    cfg.clock = Clock::Fixed(NOW);
    let sb = Sandbox::start(cfg, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::new(sb.url());
    let r = api.fetch("reg-1", &Auth::Bearer(control_token())).await;
    r.refused(401, "SIGNATURE_INVALID");
    let text = r.body["requestError"]["serviceException"]["text"]
        .as_str()
        .unwrap();
    assert!(text.contains("SECRET_USED_AS_TEXT"), "{text}");
    assert!(text.contains("sign with the hex-decoded bytes"), "{text}");
    assert!(!text.contains(SECRET_HEX), "{text}");
    // A plain wrong key keeps the plain words.
    let other = signed(
        HEADER,
        &payload("ext-user-1", NOW - 5, NOW + 60),
        &HmacKey::new(b"another key"),
    );
    let r = api.fetch("reg-1", &Auth::Bearer(other)).await;
    r.refused(401, "SIGNATURE_INVALID");
    assert_eq!(
        r.body["requestError"]["serviceException"]["text"],
        "the HMAC-SHA256 signature does not match the secret"
    );
    sb.shutdown().await.unwrap();
}

/// The `mmjwt sandbox` binary, given its key with `--key KID=HEX`, says the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_binary_refusal_names_a_secret_used_as_text() {
    let key_arg = format!("test-key-id={SECRET_HEX}");
    let run = crate::support::sandbox_process::Running::start(
        &[
            "--app-code",
            "test-app-code",
            "--key",
            &key_arg,
            "--log-format",
            "off",
        ],
        &[],
    );
    let api = Api::new(run.url.clone());
    // The binary uses the real clock: a fresh token signed with the hex text.
    let now = mmjwt::time::now_unix();
    let t = signed(
        HEADER,
        &payload("alice", now - 5, now + 300),
        &HmacKey::new(SECRET_HEX.as_bytes()),
    );
    let r = api.fetch("r", &Auth::Bearer(t)).await;
    r.refused(401, "SIGNATURE_INVALID");
    let text = r.body["requestError"]["serviceException"]["text"]
        .as_str()
        .unwrap();
    assert!(text.contains("SECRET_USED_AS_TEXT"), "{text}");
}
