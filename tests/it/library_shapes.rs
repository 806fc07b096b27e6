//! The warnings that name the JWT library behind a token's shape (HEADER_TYP_OMITTED,
//! DATE_AS_STRING, DATE_AS_FRACTION, EXP_NOT_A_TIMESTAMP, EXPIRED_AT_ISSUE's jsonwebtoken case,
//! PAYLOAD_NOT_UTF8), each on a token built the way the library builds it, through `check`,
//! `audit` (report and JUnit) and the page's check API; and the verdicts they leave alone.

use crate::support::*;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mmjwt::sandbox::{Config, Mode, Sandbox};
use serde_json::{Value, json};
use std::net::SocketAddr;

const NOW: i64 = 1_700_000_000;
const KID: &str = "test-key-id";

/// A library's token: its header and payload bytes as it writes them, signed with the right key.
struct Shape {
    library: &'static str,
    token: String,
    /// The warning codes `check` gives it, in order.
    warnings: &'static [&'static str],
    /// Words the first warning's message must carry (the library it names).
    names: &'static [&'static str],
    /// The exit code the problems alone give.
    exit: i32,
}

fn signed_bytes(header: &[u8], payload: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let sig = URL_SAFE_NO_PAD.encode(test_key().sign(input.as_bytes()));
    format!("{input}.{sig}")
}

/// "José" as `btoa` sees it: one byte per UTF-16 unit, so é is the lone byte 0xE9.
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect()
}

fn shapes() -> Vec<Shape> {
    let (iat, exp) = (NOW, NOW + 900);
    vec![
        Shape {
            library: "ruby-jwt (JWT.encode(payload, key, 'HS256', { kid: kid }))",
            token: signed(
                &format!(r#"{{"kid":"{KID}","alg":"HS256"}}"#),
                &payload("alice", iat, exp),
                &test_key(),
            ),
            warnings: &["HEADER_TYP_OMITTED"],
            names: &["ruby-jwt", "jose (panva)", "jjwt", "Nimbus", "typ: 'JWT'"],
            exit: 10,
        },
        Shape {
            library: "jose (panva): setProtectedHeader({ alg, kid }), setExpirationTime(60)",
            token: signed(
                &format!(r#"{{"alg":"HS256","kid":"{KID}"}}"#),
                &format!(
                    r#"{{"typ":"Bearer","sub":"alice","infobip-api-key":"test-app-code","iat":{iat},"exp":60,"jti":"j-1"}}"#
                ),
                &test_key(),
            ),
            // No EXPIRED_AT_ISSUE: the difference of a lifetime and a time means nothing.
            warnings: &["HEADER_TYP_OMITTED", "EXP_NOT_A_TIMESTAMP"],
            names: &["jose (panva)"],
            exit: 10,
        },
        Shape {
            library: "golang-jwt MapClaims with time.Time (members sorted)",
            token: signed(
                &format!(r#"{{"alg":"HS256","kid":"{KID}","typ":"JWT"}}"#),
                r#"{"exp":"2023-11-14T22:28:20Z","iat":"2023-11-14T22:13:20Z","infobip-api-key":"test-app-code","jti":"j-1","sub":"alice","typ":"Bearer"}"#,
                &test_key(),
            ),
            warnings: &["DATE_AS_STRING"],
            names: &["iat and exp are a JSON string", "MapClaims", ".NET"],
            exit: 10,
        },
        Shape {
            library: "lcobucci/jwt's default builder (microsecond fractions)",
            token: signed(
                &format!(r#"{{"typ":"JWT","alg":"HS256","kid":"{KID}"}}"#),
                &format!(
                    r#"{{"typ":"Bearer","sub":"alice","infobip-api-key":"test-app-code","jti":"j-1","iat":{iat}.123456,"exp":{exp}.123456}}"#
                ),
                &test_key(),
            ),
            warnings: &["DATE_AS_FRACTION"],
            names: &[
                "iat and exp are a number with a fraction (iat is 1700000000.123456)",
                "SwiftJWT",
                "lcobucci",
                "time.time()",
                "Time.now.to_f",
            ],
            exit: 13,
        },
        Shape {
            library: "SwiftJWT (Infobip's iOS example): Date as fractional seconds, exp = now + 0",
            token: signed(
                &format!(r#"{{"typ":"JWT","alg":"HS256","kid":"{KID}"}}"#),
                &format!(
                    r#"{{"typ":"Bearer","sub":"alice","infobip-api-key":"test-app-code","jti":"j-1","iat":{iat}.25,"exp":{iat}.25}}"#
                ),
                &test_key(),
            ),
            warnings: &["DATE_AS_FRACTION"],
            names: &["SwiftJWT (Infobip's iOS example)"],
            exit: 11,
        },
        Shape {
            library: "jsonwebtoken: jwt.sign(claims, key, { expiresIn: \"60\" }) (60 ms)",
            token: signed(
                &format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{KID}"}}"#),
                &format!(
                    r#"{{"typ":"Bearer","sub":"alice","infobip-api-key":"test-app-code","iat":{iat},"exp":{iat},"jti":"j-1"}}"#
                ),
                &test_key(),
            ),
            warnings: &["EXPIRED_AT_ISSUE"],
            names: &["expiresIn", "milliseconds", "Infobip's iOS example"],
            exit: 11,
        },
        Shape {
            library: "Infobip's React Native example: btoa over \"José\"",
            token: signed_bytes(
                format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{KID}"}}"#).as_bytes(),
                &latin1(&payload("José", iat, exp)),
            ),
            warnings: &["PAYLOAD_NOT_UTF8"],
            names: &[
                "the payload is not valid UTF-8 (byte 0xE9",
                "btoa",
                "React Native",
            ],
            exit: 10,
        },
    ]
}

fn check_json(token: &str) -> (Value, i32) {
    let out = mmjwt_with_creds()
        .args(["check", "--json", "--now", &NOW.to_string(), token])
        .output()
        .unwrap();
    (json_out(&out), out.status.code().unwrap())
}

fn warning_codes(v: &Value) -> Vec<&str> {
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect()
}

#[test]
fn check_names_the_library_behind_each_shape_and_keeps_the_verdict() {
    for s in shapes() {
        let (v, code) = check_json(&s.token);
        assert_eq!(warning_codes(&v), s.warnings, "{}: {v}", s.library);
        let message = v["warnings"][0]["message"].as_str().unwrap();
        for name in s.names {
            assert!(
                message.contains(name),
                "{}: {name:?} in {message}",
                s.library
            );
        }
        assert!(message.contains("; fix: "), "{}: {message}", s.library);
        // The problems decide, as before: every one of these is refused, with its own exit.
        assert_eq!(v["valid"], false, "{}", s.library);
        assert_eq!(code, s.exit, "{}: {v}", s.library);
    }
}

#[test]
fn each_shape_is_what_the_sdks_and_the_server_already_refuse() {
    // The warnings explain; the refusals are the ones check gave before them.
    let problems = |token: &str| codes(&check_json(token).0);
    let shapes = shapes();
    assert!(problems(&shapes[0].token).contains(&"JWT_TOKEN_STRUCTURE_INVALID".to_string()));
    assert!(problems(&shapes[2].token).contains(&"CLAIM_TYPE_INVALID".to_string()));
    assert!(problems(&shapes[3].token).contains(&"CLAIM_TYPE_INVALID".to_string()));
    assert!(problems(&shapes[5].token).contains(&"JWT_TOKEN_EXPIRED".to_string()));
    assert!(problems(&shapes[6].token).contains(&"JWT_TOKEN_STRUCTURE_INVALID".to_string()));
}

#[test]
fn the_borders_of_exp_not_a_timestamp_and_a_utf8_non_ascii_sub() {
    let warned = |iat: i64, exp: i64, now: i64| {
        let t = signed(HEADER, &payload("José", iat, exp), &test_key());
        let out = mmjwt_with_creds()
            .args(["check", "--json", "--now", &now.to_string(), &t])
            .output()
            .unwrap();
        let v = json_out(&out);
        (
            warning_codes(&v)
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>(),
            out.status.code(),
        )
    };
    // 10^9 itself is a time (expired at issue, beside a real iat); one second less a lifetime.
    assert_eq!(warned(NOW, 1_000_000_000, NOW).0, ["EXPIRED_AT_ISSUE"]);
    assert_eq!(warned(NOW, 999_999_999, NOW).0, ["EXP_NOT_A_TIMESTAMP"]);
    // With an iat as early the clock is off, not the lifetime: a valid token at its --now, and
    // "José" in UTF-8 is no PAYLOAD_NOT_UTF8.
    let (codes, exit) = warned(999_999_000, 999_999_999, 999_999_500);
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(exit, Some(0));
}

#[test]
fn the_human_report_names_the_library() {
    let s = &shapes()[0];
    let out = mmjwt_with_creds()
        .args(["check", "--now", &NOW.to_string(), &s.token])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("HEADER_TYP_OMITTED"), "{text}");
    assert!(text.contains("ruby-jwt"), "{text}");
}

#[test]
fn audit_reports_them_in_its_text_json_and_junit() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "alice\n").unwrap();
    for s in shapes() {
        let junit = dir.path().join("a.xml");
        let exec = format!("echo {}", s.token);
        let run = |extra: &[&str]| {
            mmjwt_with_creds()
                .args(["audit", "--exec", &exec, "--repeat", "1", "--users"])
                .arg(&users)
                .args(extra)
                .output()
                .unwrap()
        };
        let out = run(&["--junit", junit.to_str().unwrap()]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("verdict  FAIL"), "{}: {text}", s.library);
        assert_ne!(out.status.code(), Some(0), "{}: {text}", s.library);
        for code in s.warnings {
            assert!(
                text.contains(&format!("warning {code}: ")),
                "{}: {text}",
                s.library
            );
            let xml = std::fs::read_to_string(&junit).unwrap();
            assert!(
                xml.contains(&format!("warning {code}: ")),
                "{}: {xml}",
                s.library
            );
        }
        // JSON lines: one per fetch, the summary last.
        let out = run(&["--json"]);
        let text = String::from_utf8(out.stdout).unwrap();
        let v: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
        for code in s.warnings {
            assert_eq!(
                v["summary"]["warnings_by_code"][code], 1,
                "{}: {code} in {}",
                s.library, v["summary"]
            );
        }
    }
}

fn client() -> reqwest::Client {
    crate::support::http_client()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_gets_them_through_the_check_api() {
    let mut c = Config::new(Mode::JwtOnly, "test-app-code").with_key(KID, test_key());
    c.extension = Some(mmjwt::ui::routes);
    let sb = Sandbox::start(c, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    for s in shapes() {
        let body = json!({"token": s.token, "secret": SECRET_HEX, "now": NOW});
        let r = client()
            .post(format!("{}/_mmjwt/api/check", sb.url()))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{}", s.library);
        let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        assert_eq!(warning_codes(&v), s.warnings, "{}: {v}", s.library);
    }
}
