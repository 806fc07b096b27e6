//! `mmjwt audit` against a test issuer inside the suite: an HTTP server on 127.0.0.1:0 that
//! serves correct tokens or one fault at a time, and `--exec` issuers (the mmjwt binary itself,
//! `sh`). Each fault must be named by its code in the human, JSON and JUnit outputs; the
//! correct issuer passes with exit 0; slow and dead issuers; fetches sharing one kept-alive
//! connection; hygiene of every output.

use crate::support::http::{Reply, Server};
use crate::support::*;
use serde_json::{Value, json};
use std::net::TcpListener;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const APP: &str = "test-app-code";
const KID: &str = "test-key-id";

/// What the test issuer does wrong (one thing at a time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// The answer is `{"token": ...}` instead of plain text (not a fault: must pass).
    JsonMember,
    SecretAsText,
    NoKid,
    FloatTimes,
    MillisTimes,
    ClockAhead,
    ClockBehind,
    FixedJti,
    CachedToken,
    SubNfd,
    SubTrimmed,
    BearerPrefix,
    ShortLifetime,
    LongLifetime,
    AlternatingLifetime,
    AlternatingKid,
    WrongAppCode,
    Status500,
    JsonWithoutToken,
    /// `{"data": {"auth": TOKEN}}`: needs `--json-pointer /data/auth`.
    Nested,
    Redirect,
}

/// The test issuer (the suite's capturing HTTP server): GET /token?user=ID answers a token for
/// ID, or the fault's answer.
struct Issuer {
    server: Server,
}

impl Issuer {
    fn start(fault: Fault) -> Issuer {
        let counter = AtomicU32::new(0);
        let cache: Mutex<std::collections::HashMap<String, String>> = Mutex::default();
        let server = Server::start(move |hit| {
            let user = hit
                .query
                .as_deref()
                .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("user=")))
                .map(percent_decode)
                .unwrap_or_default();
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let (status, ctype, body) = answer(fault, &user, n, &cache);
            Reply {
                status,
                headers: vec![("content-type", ctype.to_string())],
                body,
            }
        });
        Issuer { server }
    }

    fn url(&self) -> String {
        format!("{}/token?user={{user}}", self.server.url)
    }
}

/// An issuer that accepts the connection and never answers (held for 5 s at most).
fn slow_issuer() -> (crate::support::http::RawServer, String) {
    let raw = crate::support::http::RawServer::start(None, Duration::from_secs(5));
    let url = format!("{}/token?user={{user}}", raw.url);
    (raw, url)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn to_nfd(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    s.nfd().collect()
}

/// The answer for request number `n` (1-based) for `user`.
fn answer(
    fault: Fault,
    user: &str,
    n: u32,
    cache: &Mutex<std::collections::HashMap<String, String>>,
) -> (u16, &'static str, String) {
    let t = now();
    let mut header = json!({"alg": "HS256", "typ": "JWT", "kid": KID});
    let mut claims = json!({
        "typ": "Bearer", "sub": user, "infobip-api-key": APP,
        "iat": t, "exp": t + 900, "jti": format!("jti-{n}-{t}"), "iss": APP,
    });
    let mut key = test_key();
    match fault {
        Fault::None
        | Fault::JsonMember
        | Fault::CachedToken
        | Fault::BearerPrefix
        | Fault::Nested => {}
        Fault::SecretAsText => key = mmjwt::secret::HmacKey::new(SECRET_HEX.as_bytes()),
        Fault::NoKid => {
            header.as_object_mut().unwrap().remove("kid");
        }
        Fault::FloatTimes => {
            claims["iat"] = json!(t as f64 + 0.25);
            claims["exp"] = json!(t as f64 + 900.25);
        }
        Fault::MillisTimes => {
            claims["iat"] = json!(t * 1000);
            claims["exp"] = json!((t + 900) * 1000);
        }
        Fault::ClockAhead => {
            claims["iat"] = json!(t + 120);
            claims["exp"] = json!(t + 1020);
        }
        Fault::ClockBehind => {
            claims["iat"] = json!(t - 120);
            claims["exp"] = json!(t + 780);
        }
        Fault::FixedJti => claims["jti"] = json!("always-the-same"),
        Fault::SubNfd => claims["sub"] = json!(to_nfd(user)),
        Fault::SubTrimmed => claims["sub"] = json!(format!("{user} ")),
        Fault::ShortLifetime => claims["exp"] = json!(t + 10),
        Fault::LongLifetime => claims["exp"] = json!(t + 2 * 86_400),
        Fault::AlternatingLifetime => {
            claims["exp"] = json!(if n.is_multiple_of(2) {
                t + 3600
            } else {
                t + 900
            });
        }
        Fault::AlternatingKid => {
            if n.is_multiple_of(2) {
                header["kid"] = json!("other-key-id");
            }
        }
        Fault::WrongAppCode => claims["infobip-api-key"] = json!("someone-elses-app"),
        Fault::Status500 => {
            return (500, "text/plain", "database is down".into());
        }
        Fault::JsonWithoutToken => {
            return (200, "application/json", r#"{"result":"ok"}"#.into());
        }
        Fault::Redirect => return (302, "text/plain", String::new()),
    }
    let token = signed(&header.to_string(), &claims.to_string(), &key);
    let token = if fault == Fault::CachedToken {
        cache
            .lock()
            .unwrap()
            .entry(user.to_string())
            .or_insert(token)
            .clone()
    } else {
        token
    };
    match fault {
        Fault::JsonMember => (
            200,
            "application/json",
            json!({"token": token, "expiresIn": 900}).to_string(),
        ),
        Fault::BearerPrefix => (200, "text/plain", format!("Bearer {token}\n")),
        Fault::Nested => (
            200,
            "application/json; charset=utf-8",
            json!({"data": {"auth": token}}).to_string(),
        ),
        _ => (200, "text/plain", format!("{token}\n")),
    }
}

/// `mmjwt audit` with the reference credentials, a users file and the given arguments.
fn audit(users: &str, args: &[&str]) -> (std::process::Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let users_file = dir.path().join("users.txt");
    std::fs::write(&users_file, users).unwrap();
    let mut cmd = mmjwt_with_creds();
    cmd.arg("audit").args(args);
    if !users.is_empty() {
        cmd.arg("--users").arg(&users_file);
    }
    let out = cmd.output().unwrap();
    (out, dir)
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The JSON lines: per-fetch objects, then the summary.
fn json_lines(o: &std::process::Output) -> (Vec<Value>, Value) {
    let mut v: Vec<Value> = stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let summary = v.pop().unwrap();
    assert!(summary.get("summary").is_some(), "last line is the summary");
    (v, summary["summary"].clone())
}

fn finding_codes(token: &Value) -> Vec<String> {
    token["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// Every failure's `type` and `message` in the JUnit file, by testcase name.
fn junit_failures(path: &std::path::Path) -> (usize, Vec<(String, String, String)>) {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1, "one testsuite");
    let cases: Vec<_> = suites[0]
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(
        suites[0].attribute("tests").unwrap(),
        cases.len().to_string()
    );
    let mut failures = Vec::new();
    for c in &cases {
        for f in c.children().filter(|n| n.has_tag_name("failure")) {
            failures.push((
                c.attribute("name").unwrap().to_string(),
                f.attribute("type").unwrap().to_string(),
                format!(
                    "{} | {}",
                    f.attribute("message").unwrap(),
                    f.text().unwrap_or("")
                ),
            ));
        }
    }
    assert_eq!(
        suites[0].attribute("failures").unwrap(),
        failures.len().to_string()
    );
    (cases.len(), failures)
}

const TWO_USERS: &str = "alice\n\u{17d}eljko \u{160}imi\u{107}\n";

#[test]
fn the_correct_issuer_passes_the_whole_battery_with_exit_0() {
    let issuer = Issuer::start(Fault::None);
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("audit.xml");
    let out = mmjwt_with_creds()
        .args(["audit", "--url", &issuer.url(), "--junit"])
        .arg(&junit)
        .args(["--concurrency", "8"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    // 12 built-in users, 2 attempts each, one line apiece.
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  ok  ")).count(),
        24,
        "{text}"
    );
    assert!(text.contains("verdict  PASS"), "{text}");
    assert!(text.contains("24 fetches: 24 passed, 0 failed"), "{text}");
    assert!(!text.contains("  FAIL  "), "{text}");
    let (cases, failures) = junit_failures(&junit);
    assert_eq!(cases, 24 + 7);
    assert!(failures.is_empty(), "{failures:?}");
    // Every id arrived intact through the percent-encoding (sub compared byte for byte).
    let hits = issuer.server.hits();
    assert_eq!(hits.len(), 24);
    let queries: Vec<String> = hits.iter().filter_map(|h| h.query.clone()).collect();
    assert!(
        queries.contains(&"user=plus%2Bsign".to_string()),
        "{queries:?}"
    );
    assert!(
        queries.contains(&"user=slash%2Fin%2Fid".to_string()),
        "{queries:?}"
    );
}

#[test]
fn json_answers_and_the_json_shape() {
    let issuer = Issuer::start(Fault::JsonMember);
    let (out, _d) = audit(
        TWO_USERS,
        &["--json", "--url", &issuer.url(), "--repeat", "1"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (tokens, summary) = json_lines(&out);
    assert_eq!(tokens.len(), 2);
    let t = &tokens[1];
    assert_eq!(t["schema"], 1);
    assert_eq!(t["user"], "\u{17d}eljko \u{160}imi\u{107}");
    assert_eq!(t["attempt"], 1);
    assert_eq!(t["passed"], true);
    assert_eq!(t["exit_code"], 0);
    assert_eq!(t["issuer"]["status"], 200);
    assert_eq!(t["token"]["origin"], "JSON member token");
    assert_eq!(t["lifetime_s"], 900);
    assert!(t["clock_offset_s"].as_i64().unwrap() <= 0);
    assert_eq!(t["check"]["valid"], true);
    assert_eq!(t["check"]["verified"], true);
    assert_eq!(t["check"]["claims"]["sub"], t["user"]);
    assert_eq!(t["findings"], json!([]));
    assert_eq!(summary["schema"], 1);
    assert_eq!(summary["attempts"], 2);
    assert_eq!(summary["passed"], 2);
    assert_eq!(summary["exit_code"], 0);
    assert_eq!(summary["rules"].as_array().unwrap().len(), 7);
    assert!(
        summary["rules"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["passed"] == true)
    );
    assert_eq!(summary["lifetime_s"], json!({"min": 900, "max": 900}));
    assert_eq!(summary["limits"]["max_skew_s"], 30);

    // A token deeper in the answer, found with --json-pointer.
    let issuer = Issuer::start(Fault::Nested);
    let (out, _d) = audit(
        TWO_USERS,
        &[
            "--json",
            "--url",
            &issuer.url(),
            "--json-pointer",
            "/data/auth",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (tokens, _) = json_lines(&out);
    assert_eq!(tokens[0]["token"]["origin"], "JSON pointer /data/auth");
}

/// Each fault, its code, and the exit code the audit must end with.
const FAULTS: &[(Fault, &str, i32)] = &[
    (Fault::SecretAsText, "SIGNATURE_INVALID", 12),
    (Fault::NoKid, "JWT_TOKEN_STRUCTURE_INVALID", 10),
    (Fault::FloatTimes, "CLAIM_TYPE_INVALID", 13),
    (Fault::MillisTimes, "IAT_IN_FUTURE", 13),
    (Fault::ClockAhead, "CLOCK_SKEW", 13),
    (Fault::ClockBehind, "CLOCK_SKEW", 13),
    (Fault::FixedJti, "JTI_REUSED", 13),
    (Fault::CachedToken, "JTI_REUSED", 13),
    (Fault::SubNfd, "SUB_MISMATCH", 13),
    (Fault::SubTrimmed, "SUB_MISMATCH", 13),
    (Fault::BearerPrefix, "JWT_TOKEN_STRUCTURE_INVALID", 10),
    (Fault::ShortLifetime, "LIFETIME_TOO_SHORT", 13),
    (Fault::LongLifetime, "LIFETIME_TOO_LONG", 13),
    (Fault::AlternatingLifetime, "LIFETIME_INCONSISTENT", 13),
    (Fault::AlternatingKid, "KID_INCONSISTENT", 13),
    (Fault::WrongAppCode, "APP_CODE_MISMATCH", 13),
    (Fault::Status500, "ISSUER_FAILED", 13),
    (Fault::JsonWithoutToken, "ISSUER_FAILED", 13),
    (Fault::Nested, "ISSUER_FAILED", 13),
    (Fault::Redirect, "ISSUER_FAILED", 13),
];

#[test]
fn each_fault_is_named_by_its_code_in_text_json_and_junit() {
    for &(fault, code, exit) in FAULTS {
        let issuer = Issuer::start(fault);
        // Text.
        let (out, _d) = audit(TWO_USERS, &["--url", &issuer.url(), "--app-code", APP]);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(exit), "{fault:?} text:\n{text}");
        assert!(text.contains(code), "{fault:?}: {code} missing:\n{text}");
        assert!(text.contains("verdict  FAIL"), "{fault:?}:\n{text}");
        // JSON and JUnit from one run.
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("audit.xml");
        let (out, _d) = audit(
            TWO_USERS,
            &[
                "--json",
                "--url",
                &issuer.url(),
                "--junit",
                junit.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(exit), "{fault:?} json");
        let (tokens, summary) = json_lines(&out);
        assert_eq!(summary["exit_code"], exit);
        let in_tokens = tokens
            .iter()
            .any(|t| finding_codes(t).iter().any(|c| c == code));
        let in_rules = summary["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == code && r["passed"] == false);
        assert!(in_tokens || in_rules, "{fault:?}: {code} not in JSON");
        let (_, failures) = junit_failures(&junit);
        assert!(
            failures
                .iter()
                .any(|(_, ty, msg)| ty == code || msg.contains(code)),
            "{fault:?}: {code} not in JUnit: {failures:?}"
        );
    }
}

#[test]
fn diagnoses_explain_the_usual_mistakes() {
    let cases: &[(Fault, &[&str])] = &[
        (
            Fault::SubNfd,
            &[
                "differ only by Unicode normalisation (the requested id is NFC, the token's sub is NFD;",
            ],
        ),
        (
            Fault::SubTrimmed,
            &["differ only by surrounding whitespace"],
        ),
        (Fault::BearerPrefix, &["hint", "'Bearer ' before the token"]),
        (
            Fault::MillisTimes,
            &["warning TIME_IN_MILLISECONDS: iat is", "divide by 1000"],
        ),
        (
            Fault::SecretAsText,
            &[
                "signature: the HMAC-SHA256 signature does not match the secret: it was made with the secret's hex text as the key (SECRET_USED_AS_TEXT)",
                "warning SECRET_USED_AS_TEXT:",
            ],
        ),
        (
            Fault::ClockBehind,
            &["behind this machine's clock", "offset -12"],
        ),
        (Fault::ClockAhead, &["ahead of this machine's clock"]),
        (Fault::CachedToken, &["the very same token each time"]),
        (
            Fault::Redirect,
            &["HTTP 302 Found (redirects are not followed)"],
        ),
        (
            Fault::Nested,
            &["(use --json-pointer); it has members data"],
        ),
        (
            Fault::Status500,
            &["HTTP 500 Internal Server Error", "database is down"],
        ),
        (
            Fault::JsonWithoutToken,
            &["none of the members token, jwt", "members result"],
        ),
    ];
    for (fault, needles) in cases {
        let issuer = Issuer::start(*fault);
        let (out, _d) = audit(TWO_USERS, &["--url", &issuer.url()]);
        let text = stdout(&out);
        for n in *needles {
            assert!(text.contains(n), "{fault:?}: {n:?} missing:\n{text}");
        }
    }
}

#[test]
fn junit_failures_carry_codes_and_messages_per_fetch_and_per_rule() {
    let issuer = Issuer::start(Fault::FixedJti);
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("a.xml");
    let (out, _d) = audit(
        "alice\nbob\n",
        &["--url", &issuer.url(), "--junit", junit.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(13));
    let (cases, failures) = junit_failures(&junit);
    assert_eq!(cases, 4 + 7);
    // The tokens themselves are fine; the rule is what fails, naming every fetch.
    assert_eq!(failures.len(), 1, "{failures:?}");
    let (name, ty, msg) = &failures[0];
    assert_eq!((name.as_str(), ty.as_str()), ("JTI_REUSED", "JTI_REUSED"));
    assert!(
        msg.contains("jti \"always-the-same\" is in 4 tokens: alice #1, alice #2, bob #1, bob #2"),
        "{msg}"
    );

    let issuer = Issuer::start(Fault::SubNfd);
    let (out, _d) = audit(
        TWO_USERS,
        &[
            "--url",
            &issuer.url(),
            "--repeat",
            "1",
            "--junit",
            junit.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(13));
    let (_, failures) = junit_failures(&junit);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0].0, "\u{17d}eljko \u{160}imi\u{107} #1");
    assert_eq!(failures[0].1, "SUB_MISMATCH");
    assert!(
        failures[0].2.contains("Unicode normalisation"),
        "{failures:?}"
    );
}

#[test]
fn an_exec_issuer_runs_without_a_shell() {
    // The issuer is mmjwt itself: `mmjwt gen` signs with MMJWT_SECRET, which it inherits.
    let bin = env!("CARGO_BIN_EXE_mmjwt");
    let template = format!("'{bin}' gen --user-id {{user}} --app-code {APP} --key-id {KID}");
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("a.xml");
    let out = mmjwt_with_creds()
        .args(["audit", "--exec", &template, "--junit"])
        .arg(&junit)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  ok  ")).count(),
        24,
        "{text}"
    );
    assert!(junit_failures(&junit).1.is_empty());

    // A fault through exec: a 10-second lifetime, and the id via the environment.
    let template = format!("'{bin}' gen --ttl 10s --app-code {APP} --key-id {KID} --user-id");
    let out = mmjwt_with_creds()
        .args([
            "audit",
            "--exec",
            &format!("sh -c '{template} \"$MMJWT_AUDIT_USER\"'"),
        ])
        .args(["--repeat", "1"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(13), "{text}{}", stderr(&out));
    assert!(text.contains("LIFETIME_TOO_SHORT"), "{text}");
    assert!(!text.contains("SUB_MISMATCH"), "{text}");

    // Shell syntax is not interpreted: `;` is an argument, so `true` gets it and prints nothing.
    let (out, _d) = audit(
        "alice\n",
        &["--exec", "true {user}; echo x.y.z", "--repeat", "1"],
    );
    assert_eq!(out.status.code(), Some(13));
    assert!(stdout(&out).contains("no token in the answer: the answer is empty"));

    // A failing program: its exit status and the first line of its stderr.
    let (out, _d) = audit(
        "alice\n",
        &["--exec", "sh -c 'echo boom >&2; exit 3'", "--repeat", "1"],
    );
    assert_eq!(out.status.code(), Some(13));
    let text = stdout(&out);
    assert!(
        text.contains("ISSUER_FAILED audit: sh exited with status 3; stderr: \"boom\""),
        "{text}"
    );
}

#[test]
fn a_slow_issuer_times_out_and_a_dead_one_exits_6() {
    let (_slow, url) = slow_issuer();
    let (out, _d) = audit(
        "alice\n",
        &[
            "--url",
            &url,
            "--timeout",
            "300ms",
            "--repeat",
            "1",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(13), "{}", stderr(&out));
    let (tokens, summary) = json_lines(&out);
    assert_eq!(finding_codes(&tokens[0]), vec!["ISSUER_FAILED"]);
    let msg = tokens[0]["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("within 300ms"), "{msg}");
    assert_eq!(summary["unreachable"], false);

    let (out, _d) = audit(
        "alice\n",
        &[
            "--exec",
            "sh -c 'sleep 5'",
            "--timeout",
            "300ms",
            "--repeat",
            "1",
        ],
    );
    assert_eq!(out.status.code(), Some(13));
    assert!(stdout(&out).contains("did not finish within 300ms (--timeout); it was killed"));

    let dead = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{dead}/token?user={{user}}");
    let (out, _d) = audit("alice\nbob\n", &["--url", &url]);
    assert_eq!(out.status.code(), Some(6), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("connection refused"), "{text}");
    assert!(text.contains("the issuer could not be reached"), "{text}");
    let (out, _d) = audit("alice\n", &["--json", "--url", &url]);
    let (_, summary) = json_lines(&out);
    assert_eq!(
        (summary["unreachable"].clone(), summary["exit_code"].clone()),
        (json!(true), json!(6))
    );

    let (out, _d) = audit("alice\n", &["--exec", "/nonexistent/issuer {user}"]);
    assert_eq!(out.status.code(), Some(6));
    assert!(stdout(&out).contains("cannot start /nonexistent/issuer"));
}

#[test]
fn neither_secret_nor_backend_header_appears_anywhere() {
    const SENTINEL_SECRET: &str =
        "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";
    const SENTINEL_HEADER: &str = "sentinel-backend-credential-4711";
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key.hex");
    std::fs::write(&key_file, SENTINEL_SECRET).unwrap();
    // A backend whose error page echoes the credential and the secret back.
    let n = AtomicU32::new(0);
    let backend = Server::start(move |_| {
        let body = if n.fetch_add(1, Ordering::SeqCst).is_multiple_of(2) {
            format!("denied {SENTINEL_HEADER} {SENTINEL_SECRET}")
        } else {
            format!("{{\"{SENTINEL_HEADER}\": 1}}")
        };
        Reply {
            status: 403,
            headers: vec![("content-type", "text/plain".into())],
            body,
        }
    });
    let url = format!("{}/token?user={{user}}", backend.url);
    let junit = dir.path().join("a.xml");
    let header = format!("X-Backend-Key: {SENTINEL_HEADER}");
    let header_file = dir.path().join("headers.txt");
    std::fs::write(
        &header_file,
        format!("\nX-Backend-Key: {SENTINEL_HEADER}\n"),
    )
    .unwrap();
    let mut outputs = Vec::new();
    for json in [false, true] {
        let mut cmd = mmjwt();
        // The header once from argv, once from a file.
        if json {
            cmd.args(["audit", "--url", &url, "--header-file"])
                .arg(&header_file);
        } else {
            cmd.args(["audit", "--url", &url, "--header", &header]);
        }
        cmd.arg("--secret-file")
            .arg(&key_file)
            .arg("--junit")
            .arg(&junit)
            .args(["--repeat", "1", "--users", "-"])
            .write_stdin("alice\nbob\n");
        if json {
            cmd.arg("--json");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(13), "{}", stderr(&out));
        outputs.push(stdout(&out));
        outputs.push(stderr(&out));
        outputs.push(std::fs::read_to_string(&junit).unwrap());
    }
    assert!(outputs[0].contains("HTTP 403 Forbidden"), "{}", outputs[0]);
    // The header was sent, so its absence from the outputs means something.
    assert!(
        backend
            .hits()
            .iter()
            .all(|h| h.header("x-backend-key") == Some(SENTINEL_HEADER))
    );
    assert!(outputs[0].contains("[redacted]"), "{}", outputs[0]);
    // The exec issuer's stderr is scrubbed too.
    let out = mmjwt()
        .args([
            "audit",
            "--exec",
            &format!("sh -c 'echo {SENTINEL_SECRET} >&2; exit 1'"),
        ])
        .arg("--secret-file")
        .arg(&key_file)
        .args(["--repeat", "1"])
        .output()
        .unwrap();
    outputs.push(stdout(&out));
    // A malformed --header: clap's error must not quote it.
    let out = mmjwt()
        .args(["audit", "--url", &url, "--header", SENTINEL_HEADER])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("mmjwt: error: --header: use 'Name: value'"),
        "{}",
        stderr(&out)
    );
    outputs.push(stderr(&out));
    // A malformed line in --header-file: named by its line, not shown.
    std::fs::write(&header_file, format!("A: b\n{SENTINEL_HEADER}\n")).unwrap();
    let out = mmjwt()
        .args(["audit", "--url", &url, "--header-file"])
        .arg(&header_file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("line 2: use 'Name: value'"),
        "{}",
        stderr(&out)
    );
    outputs.push(stderr(&out));
    for (i, o) in outputs.iter().enumerate() {
        assert!(
            !o.contains(SENTINEL_SECRET),
            "output {i} has the secret:\n{o}"
        );
        assert!(
            !o.contains(SENTINEL_HEADER),
            "output {i} has the header:\n{o}"
        );
    }
}

#[test]
fn bad_arguments_are_usage_errors() {
    for (args, needle) in [
        (vec!["audit"], "required"),
        (vec!["audit", "--url", "http://h/token"], "no {user}"),
        (vec!["audit", "--exec", "a 'b"], "unclosed single quote"),
        (
            vec!["audit", "--exec", "true", "--header", "A: b"],
            "cannot be used with",
        ),
        (vec!["audit", "--exec", "true", "--repeat", "0"], "--repeat"),
        (
            vec!["audit", "--exec", "true", "--json-pointer", "data"],
            "starts with '/'",
        ),
        (
            vec![
                "audit",
                "--exec",
                "true",
                "--min-lifetime",
                "2h",
                "--max-lifetime",
                "1h",
            ],
            "--min-lifetime",
        ),
        (
            vec![
                "audit",
                "--exec",
                "true",
                "--users",
                "-",
                "--secret-file",
                "-",
            ],
            "standard input",
        ),
    ] {
        let out = mmjwt().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.starts_with("mmjwt: error: "), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let out = mmjwt()
        .args(["audit", "--exec", "true", "--users", "-"])
        .write_stdin("ok\n\u{0}bad\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("line 2 contains a NUL character"));
}

#[test]
fn reference_documents_every_audit_code_with_its_exit_code() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let reference = std::fs::read_to_string(root.join("docs/reference.md")).unwrap();
    for code in mmjwt::problem::AuditCode::ALL {
        let row = format!("| `{}` | {} |", code.as_str(), code.exit_code());
        assert!(
            reference.contains(&row),
            "docs/reference.md lacks the row for {code}"
        );
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("### mmjwt audit"));
}

#[test]
fn help_shows_the_audit_examples() {
    let out = mmjwt().args(["audit", "--help"]).output().unwrap();
    assert!(out.status.success());
    let help = stdout(&out);
    assert!(
        help.contains("mmjwt audit --url 'http://localhost:3000/mm-token?user={user}'"),
        "{help}"
    );
    assert!(help.contains("--exec <TEMPLATE>"), "{help}");
}

#[test]
fn debug_of_a_parsed_audit_command_line_hides_credentials() {
    use clap::Parser as _;
    let hex = "5e".repeat(32);
    for args in [
        vec![
            "audit",
            "--url",
            "https://user:pw-sentinel@h.example/t?key=query-sentinel&u={user}",
            "--header",
            "X-Key: header-sentinel",
            "--secret",
            &hex,
        ],
        vec![
            "audit",
            "--exec",
            "issue --token arg-sentinel {user}",
            "--secret",
            &hex,
        ],
    ] {
        let cli =
            mmjwt::cli::Cli::try_parse_from(std::iter::once("mmjwt").chain(args.iter().copied()))
                .unwrap();
        let text = format!("{cli:?}");
        for s in [
            &hex[..],
            "pw-sentinel",
            "query-sentinel",
            "header-sentinel",
            "arg-sentinel",
        ] {
            assert!(!text.contains(s), "{s} in {text}");
        }
        assert!(text.contains("Audit("), "{text}");
    }
}

#[test]
fn json_carries_what_the_plugins_would_pass_on_and_the_checks_warnings() {
    let issuer = Issuer::start(Fault::NoKid);
    let (out, _d) = audit(
        "alice\n",
        &["--json", "--url", &issuer.url(), "--repeat", "1"],
    );
    assert_eq!(out.status.code(), Some(10));
    let (tokens, _) = json_lines(&out);
    let android = &tokens[0]["check"]["sdk"]["android"];
    assert_eq!(android["code"], "JWT_TOKEN_STRUCTURE_INVALID");
    assert_eq!(
        android["plugins"]["flutter"]["code"],
        "JWT_TOKEN_STRUCTURE_INVALID"
    );
    assert_eq!(
        android["plugins"]["react_native"]["code"],
        "JWT_TOKEN_STRUCTURE_INVALID"
    );

    let issuer = Issuer::start(Fault::ShortLifetime);
    let (out, _d) = audit(
        "alice\n",
        &["--json", "--url", &issuer.url(), "--repeat", "1"],
    );
    let (tokens, summary) = json_lines(&out);
    assert!(finding_codes(&tokens[0]).contains(&"LIFETIME_TOO_SHORT".to_string()));
    assert_eq!(summary["warnings_by_code"]["SHORT_LIFETIME"], 1);
}

#[test]
fn user_info_in_the_url_is_sent_as_basic_authorization_and_never_shown() {
    let issuer = Issuer::start(Fault::None);
    let url = issuer
        .url()
        .replace("http://", "http://issuer:p%40ss-hush@");
    let (out, _d) = audit("alice\n", &["--url", &url, "--repeat", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let hits = issuer.server.hits();
    assert_eq!(hits.len(), 1);
    // base64("issuer:p@ss-hush")
    assert_eq!(
        hits[0].header("authorization"),
        Some("Basic aXNzdWVyOnBAc3MtaHVzaA==")
    );
    assert_eq!(hits[0].header("accept"), Some("*/*"));
    assert!(!stdout(&out).contains("hush") && !stderr(&out).contains("hush"));
}

#[test]
fn fetches_share_one_kept_alive_connection_over_tls() {
    use crate::support::tls::{Hangup, KeepAlive, trust};
    let issuer = KeepAlive::start(
        true,
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nnot-a-token\n",
        Hangup::Never,
    );
    let url = format!("{}/token?user={{user}}", issuer.url);
    let mut cmd = mmjwt_with_creds();
    trust(&mut cmd);
    let out = cmd
        .args(["audit", "--json", "--url", &url, "--users", "-"])
        .args(["--repeat", "3", "--concurrency", "1"])
        .write_stdin("alice\nbob\n")
        .output()
        .unwrap();
    let (fetches, summary) = json_lines(&out);
    assert_eq!(summary["attempts"], 6, "{}", stderr(&out));
    assert!(fetches.iter().all(|f| f["issuer"]["status"] == 200));
    assert_eq!(issuer.requests().len(), 6);
    assert_eq!(issuer.accepts(), 1);
}
