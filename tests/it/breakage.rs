//! `gen --break KIND` and `replay --break KIND`: for every kind, `check` of the produced token
//! gives exactly the predicted verdicts and the sandbox in JWT-only mode answers as predicted;
//! the stdout contract, batches, replay through the embedded sandbox and the preflight's
//! refusal (nothing sent), the human output's snapshots and bad input; and `gen --from TOKEN
//! --break KIND`, judged the same way against the edited token's user, with every member the
//! kind does not touch kept byte for byte.

use crate::support::api::{Api, Auth, identity};
use crate::support::http::Server;
use crate::support::snapshot::{Redact, run};
use crate::support::{SECRET_HEX, gen_break_json, json_out, mmjwt, mmjwt_with_creds, signed};
use mmjwt::sandbox::{Clock, Config, Mode, Sandbox};
use mmjwt::secret::Secret;
use mmjwt::token::breakage::BreakKind;
use serde_json::Value;
use std::time::Duration;

const NOW: &str = "1700000000";
const NOW_SECS: i64 = 1_700_000_000;
const APP: &str = "test-app-code";
const KID: &str = "test-key-id";
const JTI: &str = "00000000-0000-4000-8000-000000000001";

/// `gen --json --break KIND` for alice at [`NOW`] with a fixed jti: the object it prints.
fn gen_json(kind: BreakKind, extra: &[&str]) -> Value {
    gen_break_json(
        kind.name(),
        &[&["--now", NOW, "--jti", JTI], extra].concat(),
    )
}

/// `check --json` of `token` with everything the App Profile and the call know.
fn check_json(token: &str) -> Value {
    check_for("alice", token)
}

/// `check --json` of `token` for a call about `user`.
fn check_for(user: &str, token: &str) -> Value {
    let out = mmjwt()
        .args(["--json", "check", "--secret", SECRET_HEX, "--app-code", APP])
        .args(["--key-id", KID, "--user-id", user, "--now", NOW, token])
        .output()
        .unwrap();
    json_out(&out)
}

/// A sandbox in JWT-only mode with the reference application code, key id and secret, its
/// clock at [`NOW`].
async fn jwt_only_sandbox() -> Sandbox {
    let key = Secret::from_hex(SECRET_HEX).unwrap().hmac_key();
    let mut cfg = Config::new(Mode::JwtOnly, APP).with_key(KID, key);
    cfg.clock = Clock::Fixed(NOW_SECS);
    Sandbox::start(cfg, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// Asserts that `check` and the sandbox judge `token` (of `kind`, meant for `user`) exactly
/// as `predicted` (the `break` member) says, and that the prediction says what the issue says
/// of the kind.
async fn assert_judged_as_predicted(
    api: &Api,
    reg: &str,
    user: &str,
    kind: BreakKind,
    token: &str,
    predicted: &Value,
) {
    assert_eq!(predicted["kind"], kind.name());
    // check: exactly the predicted SDK objects, verdicts and plugin objects alike.
    let report = tokio::task::spawn_blocking({
        let (user, token) = (user.to_owned(), token.to_owned());
        move || check_for(&user, &token)
    })
    .await
    .unwrap();
    assert_eq!(report["sdk"], predicted["sdk"], "{kind:?}");

    // The sandbox in JWT-only mode: the predicted status and messageId, for a call that
    // personalizes the user the intended token is for.
    let reply = api
        .personalize(reg, "", &Auth::Bearer(token.to_owned()), &identity(user))
        .await;
    assert_eq!(
        Value::from(reply.status),
        predicted["server"]["status"],
        "{kind:?}: {}",
        reply.body
    );
    assert_eq!(
        reply.message_id().map(Value::from),
        Some(predicted["server"]["message_id"].clone()),
        "{kind:?}"
    );

    // And the prediction says what the issue says of the kind.
    let (sdk_code, server_code) = meaning(kind);
    for platform in ["android", "ios"] {
        let sdk = &predicted["sdk"][platform];
        assert_eq!(sdk["accepted"], sdk_code.is_none(), "{kind:?} {platform}");
        assert_eq!(sdk["code"], sdk_code.map_or(Value::Null, Value::from));
        assert_eq!(
            predicted["branch"][platform],
            sdk_code.unwrap_or("default"),
            "{kind:?}"
        );
    }
    assert_eq!(predicted["server"]["message_id"], server_code, "{kind:?}");
    assert_eq!(predicted["server"]["reached"], sdk_code.is_none());
}

/// What the issue says each kind does: whether the SDKs refuse it (with which code) or send
/// it, and then which problem the server names. No wildcard: a new kind needs its case here.
fn meaning(kind: BreakKind) -> (Option<&'static str>, &'static str) {
    match kind {
        BreakKind::Expired => (Some("JWT_TOKEN_EXPIRED"), "JWT_TOKEN_EXPIRED"),
        BreakKind::Structure => (
            Some("JWT_TOKEN_STRUCTURE_INVALID"),
            "JWT_TOKEN_STRUCTURE_INVALID",
        ),
        BreakKind::Signature => (None, "SIGNATURE_INVALID"),
        BreakKind::User => (None, "SUB_MISMATCH"),
        BreakKind::AppCode => (None, "APP_CODE_MISMATCH"),
        BreakKind::Kid => (None, "KID_UNKNOWN"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_is_judged_by_check_and_the_sandbox_as_predicted() {
    let sb = jwt_only_sandbox().await;
    let api = Api::new(sb.url());
    for (n, kind) in BreakKind::ALL.into_iter().enumerate() {
        let v = gen_json(kind, &[]);
        let token = v["token"].as_str().unwrap();
        assert_judged_as_predicted(&api, &format!("reg-{n}"), "alice", kind, token, &v["break"])
            .await;
    }
    sb.shutdown().await.unwrap();
}

// ---------------------------------------------------------------- gen --from --break

/// A token another library made (PyJWT: sorted members, a float, escapes), for alice.
fn foreign_token() -> String {
    let header = r#"{"alg":"HS256","kid":"test-key-id","typ":"JWT"}"#;
    let payload = r#"{"exp":1700000900,"iat":1699999000,"infobip-api-key":"test-app-code","iss":"test-app-code","jti":"j-1","name":"Jos\u00e9 \/ Ana","score":1.5e9,"sub":"alice","typ":"Bearer"}"#;
    signed(header, payload, &mmjwt::secret::HmacKey::new(b"py"))
}

/// The edits every `--from` case here makes: another user, a claim appended, iat at [`NOW`].
const EDITS: [&str; 6] = ["--user-id", "bob", "--claim", "plan=pro", "--now", NOW];

/// `gen --from TOKEN --json` with `args`: the object it prints.
fn from_json(token: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = crate::gen_from::from(token, &all);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    json_out(&out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_breaks_an_edited_token_as_predicted_and_keeps_the_other_bytes() {
    use crate::gen_from::parts;
    let sb = jwt_only_sandbox().await;
    let api = Api::new(sb.url());
    let source = foreign_token();
    // The edited token, unbroken: what each kind breaks one way more.
    let unbroken = from_json(&source, &EDITS);
    let unbroken_token = unbroken["token"].as_str().unwrap();
    let (header, payload) = parts(unbroken_token);
    assert!(
        payload.contains(r#""score":1.5e9,"sub":"bob","#),
        "{payload}"
    );
    for (n, kind) in BreakKind::ALL.into_iter().enumerate() {
        let mut args = EDITS.to_vec();
        args.extend(["--break", kind.name()]);
        let v = from_json(&source, &args);
        let token = v["token"].as_str().unwrap();
        assert_judged_as_predicted(&api, &format!("from-{n}"), "bob", kind, token, &v["break"])
            .await;
        // The changes are the edits asked for; the break is said in `break.change`.
        assert_eq!(v["changes"], unbroken["changes"], "{kind:?}");
        assert_eq!(v["schema"], 2);
        // Every member the kind does not touch keeps its bytes.
        let (want_header, want_payload) = match kind {
            BreakKind::Expired => (
                header.clone(),
                payload
                    .replace(r#""exp":1700000900"#, r#""exp":1699999940"#)
                    .replace(r#""iat":1700000000"#, r#""iat":1699999040"#),
            ),
            BreakKind::Structure => (header.clone(), payload.replace(r#""jti":"j-1","#, "")),
            BreakKind::Signature => (header.clone(), payload.clone()),
            BreakKind::User => (
                header.clone(),
                payload.replace(r#""sub":"bob""#, r#""sub":"bob-other""#),
            ),
            BreakKind::AppCode => (
                header.clone(),
                payload.replace(r#""test-app-code""#, r#""test-app-code-other""#),
            ),
            BreakKind::Kid => (
                header.replace(r#""test-key-id""#, r#""test-key-id-unknown""#),
                payload.clone(),
            ),
        };
        assert_eq!(parts(token), (want_header, want_payload), "{kind:?}");
        assert_ne!(token, unbroken_token, "{kind:?}");
        // The same kind breaks gen's own token the same way: the same sentence.
        assert_eq!(
            v["break"]["change"]
                .as_str()
                .unwrap()
                .replace("bob", "alice"),
            gen_json(kind, &[])["break"]["change"],
            "{kind:?}"
        );
    }
    sb.shutdown().await.unwrap();
}

#[test]
fn a_kind_that_cannot_apply_to_the_edited_token_is_one_line() {
    let source = foreign_token();
    // A float exp (PyJWT given time.time()): expired keeps exp - iat, which is not seconds.
    let floats = signed(
        crate::support::HEADER,
        r#"{"typ":"Bearer","sub":"alice","infobip-api-key":"test-app-code","iat":1700000000,"exp":1700000900.0,"jti":"j-1"}"#,
        &mmjwt::secret::HmacKey::new(b"py"),
    );
    let numeric_kid = signed(
        r#"{"alg":"HS256","kid":5,"typ":"JWT"}"#,
        &crate::support::payload("alice", 1_700_000_000, 4_102_444_800),
        &mmjwt::secret::HmacKey::new(b"py"),
    );
    let cases: [(&str, &[&str], &str); 5] = [
        (
            &source,
            &["--unset", "jti", "--break", "structure"],
            "--break structure: the mandatory claim jti is left out, and the edited token has none",
        ),
        (
            &floats,
            &["--break", "expired"],
            "--break expired: the lifetime exp - iat is kept, and the edited token's iat and exp are not both integer seconds",
        ),
        (
            &source,
            &["--unset", "sub", "--break", "kid"],
            "--break kid: the prediction judges the token against the sub it names, and the edited payload has no sub string (set one with --user-id)",
        ),
        (
            &numeric_kid,
            &["--break", "user"],
            "the edited header has no kid string (set one with --key-id)",
        ),
        (
            &source,
            &["--break", "bogus"],
            "invalid value 'bogus' for '--break <KIND>'",
        ),
    ];
    for (token, args, message) in cases {
        let out = crate::gen_from::from(token, args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(err.starts_with("mmjwt: error: "), "{err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!err.contains(&token[..12]), "no token text: {err}");
    }
    // Each is mended by the edit the message names.
    let out = crate::gen_from::from(&floats, &["--ttl", "15m", "--break", "expired"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // Without --break, an edit that breaks the token names --break as the way to make it.
    let out = crate::gen_from::from(&source, &["--unset", "jti"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("add --break KIND"),
        "{out:?}"
    );
}

#[test]
fn from_with_break_says_the_prediction_on_stderr_and_lifts_every_refusal() {
    let source = foreign_token();
    // An exp in the past without --allow-expired, and a missing jti: refused without
    // --break, made with it, the prediction saying what the app sees.
    let past = ["--exp", "1699999000", "--now", NOW];
    let out = crate::gen_from::from(&source, &past);
    assert_eq!(out.status.code(), Some(2));
    let mut args = past.to_vec();
    args.extend(["--break", "kid"]);
    let out = crate::gen_from::from(&source, &args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let token = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(token.matches('\n').count(), 1);
    assert!(
        err.contains("--break kid: kid is \"test-key-id-unknown\""),
        "{err}"
    );
    assert!(
        err.contains("  catch    Android and iOS: case 'JWT_TOKEN_EXPIRED':"),
        "{err}"
    );
    // The prediction replaces the warnings of plain --from.
    assert!(!err.contains("mmjwt: warning:"), "{err}");
}

#[test]
fn stdout_is_the_token_and_a_newline_and_the_prediction_goes_to_stderr() {
    for kind in BreakKind::ALL {
        let out = mmjwt_with_creds()
            .args(["gen", "--user-id", "alice", "--now", NOW, "--jti", JTI])
            .args(["--break", kind.name()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let stdout = String::from_utf8(out.stdout).unwrap();
        // The same token as the JSON object's, and nothing else.
        let want = gen_json(kind, &[])["token"].as_str().unwrap().to_owned();
        assert_eq!(stdout, format!("{want}\n"), "{kind:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.starts_with(&format!("--break {}: ", kind.name())),
            "{stderr}"
        );
        assert!(
            stderr.contains("\n  catch    Android and iOS: "),
            "{stderr}"
        );
    }
}

#[test]
fn expired_needs_no_allow_expired_and_the_intended_token_is_otherwise_kept() {
    // Without --break an exp in the past is refused; --break expired makes it on purpose.
    mmjwt_with_creds()
        .args(["gen", "--user-id", "alice", "--now", NOW, "--ttl", "0"])
        .assert()
        .code(2);
    let v = gen_json(BreakKind::Expired, &["--claim", "plan=pro"]);
    assert_eq!(v["claims"]["exp"], NOW_SECS - 60);
    assert_eq!(v["claims"]["iat"], NOW_SECS - 60 - 900);
    assert_eq!(v["claims"]["plan"], "pro");
    assert_eq!(v["expires_at"], "2023-11-14T22:12:20Z");
    // Another kind with an exp in the past is made too, and its prediction says the SDKs
    // refuse it for that.
    let v = gen_json(BreakKind::Kid, &["--ttl", "0"]);
    assert_eq!(v["break"]["branch"]["ios"], "JWT_TOKEN_EXPIRED");
    assert_eq!(v["header"]["kid"], "test-key-id-unknown");
    // structure drops jti and keeps the rest in order.
    let v = gen_json(BreakKind::Structure, &[]);
    let names: Vec<&String> = v["claims"].as_object().unwrap().keys().collect();
    assert_eq!(
        names,
        ["typ", "sub", "infobip-api-key", "iat", "exp", "iss"]
    );
}

#[test]
fn batches_break_every_token_and_say_the_prediction_once() {
    let out = mmjwt_with_creds()
        .args(["gen", "--user-id", "-", "--break", "user"])
        .write_stdin("alice\nbob\n\ncarol\n")
        .output()
        .unwrap();
    // The empty line is skipped, as in any batch.
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let subs: Vec<String> = stdout
        .lines()
        .map(|t| {
            let v = check_json(t);
            v["claims"]["sub"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(subs, ["alice-other", "bob-other", "carol-other"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("line 3: empty user id; skipped"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("--break user:").count(),
        1,
        "one prediction for tokens alike: {stderr}"
    );
    assert!(
        stderr
            .contains("3 token(s) alike; the one of line 1:\n--break user: sub is \"alice-other\"")
    );

    // --json: each line carries its own prediction, stderr none.
    let out = mmjwt_with_creds()
        .args(["--json", "gen", "--user-id", "-", "--break", "kid"])
        .write_stdin("alice\nbob\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for (v, sub) in lines.iter().zip(["alice", "bob"]) {
        assert_eq!(v["claims"]["sub"], sub);
        assert_eq!(v["header"]["kid"], "test-key-id-unknown");
        assert_eq!(v["break"]["server"]["message_id"], "KID_UNKNOWN");
    }
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn replay_sends_the_broken_token_to_the_embedded_sandbox() {
    for (kind, id) in [
        ("signature", "SIGNATURE_INVALID"),
        ("user", "SUB_MISMATCH"),
        ("kid", "KID_UNKNOWN"),
        ("app-code", "APP_CODE_MISMATCH"),
    ] {
        let out = mmjwt()
            .args(["--json", "replay", "personalize", "--user-id", "alice"])
            .args(["--break", kind])
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        // A 4xx answer.
        assert_eq!(out.status.code(), Some(4), "{kind}: {out:?}");
        let v = json_out(&out);
        assert_eq!(v["sent"], true);
        assert_eq!(v["response"]["status"], 401);
        assert_eq!(
            v["response"]["service_exception"]["messageId"], id,
            "{kind}"
        );
    }
}

/// `replay personalize --user-id alice --break KIND` against the server at `url`.
fn replay_broken(kind: &str, url: &str) -> assert_cmd::Command {
    let mut c = mmjwt_with_creds();
    c.args([
        "replay",
        "personalize",
        "--user-id",
        "alice",
        "--break",
        kind,
    ])
    .args(["--base-url", url, "--push-reg-id", "reg-1"])
    .timeout(Duration::from_secs(30));
    c
}

#[test]
fn replay_refuses_what_the_sdk_refuses_and_sends_nothing() {
    let srv = Server::ok();
    for (kind, code) in [("expired", 11), ("structure", 10)] {
        let out = replay_broken(kind, &srv.url).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{kind}: {out:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("would not send this request"), "{stderr}");
    }
    assert!(srv.hits().is_empty(), "nothing may be sent");
    // A kind the SDK accepts goes out, with the broken token.
    replay_broken("kid", &srv.url).assert().success();
    let hits = srv.hits();
    assert_eq!(hits.len(), 1);
    let auth = hits[0].header("authorization").unwrap();
    let token = auth.strip_prefix("Bearer ").unwrap();
    assert_eq!(check_json(token)["header"]["kid"], "test-key-id-unknown");
}

#[test]
fn bad_input_is_a_usage_error() {
    let out = mmjwt_with_creds()
        .args(["gen", "--user-id", "alice", "--break", "bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "mmjwt: error: invalid value 'bogus' for '--break <KIND>' (possible values: expired, structure, signature, user, app-code, kid)\n"
    );
    // --json: the structured error, nothing else on stdout.
    let out = mmjwt_with_creds()
        .args(["--json", "gen", "--user-id", "alice", "--break", "Expired"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json_out(&out)["error"]["kind"], "usage");
    // --plugin belongs to --break.
    mmjwt_with_creds()
        .args(["gen", "--user-id", "alice", "--plugin", "flutter"])
        .assert()
        .code(2);
    // replay: --break makes the token, so it cannot go with a given one or App authorization.
    for other in [&["--token", "a.b.c"][..], &["--app-auth"]] {
        mmjwt_with_creds()
            .args([
                "replay",
                "fetch-user",
                "--user-id",
                "alice",
                "--break",
                "kid",
            ])
            .args(other)
            .assert()
            .code(2);
    }
}

#[test]
fn human_outputs() {
    let base = ["gen", "--user-id", "alice", "--now", NOW, "--jti", JTI];
    let with = |extra: &[&'static str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        run(&args).creds()
    };
    with(&["--break", "expired", "--plugin", "flutter"])
        .snapshot("gen/break-expired-flutter", Redact::default());
    with(&["--break", "structure", "--plugin", "all"])
        .snapshot("gen/break-structure-plugins", Redact::default());
    with(&["--break", "signature"]).snapshot("gen/break-signature", Redact::default());
    with(&["--break", "user"]).snapshot("gen/break-user", Redact::default());
    with(&["--break", "app-code"]).snapshot("gen/break-app-code", Redact::default());
    with(&["--break", "kid"]).snapshot("gen/break-kid", Redact::default());
    with(&["--break", "nope"]).snapshot("errors/gen-break-unknown", Redact::default());
    // gen --from: the edits noted, then the prediction for the edited token.
    let from = |extra: &[&str]| {
        let mut args = vec!["gen", "--from"];
        let source = foreign_token();
        args.push(&source);
        args.extend_from_slice(&EDITS);
        args.extend_from_slice(extra);
        run(&args).env("MMJWT_SECRET", SECRET_HEX)
    };
    from(&["--break", "expired", "--plugin", "flutter"])
        .snapshot("gen/from-break-expired-flutter", Redact::default());
    from(&["--break", "app-code"]).snapshot("gen/from-break-app-code", Redact::default());
    from(&["--unset", "jti", "--break", "structure"])
        .snapshot("errors/gen-from-break-structure-no-jti", Redact::default());
    // replay: the embedded sandbox's answer to a broken token, and the preflight's refusal.
    let port = || Redact::default().pattern("[PORT]", r"127\.0\.0\.1:(?<redacted>\d+)\b");
    let replay = |kind_and_extra: &[&str]| {
        let mut args = vec!["replay", "personalize", "--user-id", "alice", "--break"];
        args.extend_from_slice(kind_and_extra);
        run(&args)
    };
    replay(&["kid"]).snapshot("replay/break-kid-embedded", port());
    replay(&["expired", "--plugin", "flutter"]).snapshot("replay/break-expired-refused", port());
    // A batch: one prediction for the tokens alike (the tokens have random jtis: redacted).
    run(&[
        "gen",
        "--user-id",
        "-",
        "--now",
        NOW,
        "--break",
        "signature",
    ])
    .creds()
    .stdin(
        "alice

bob
",
    )
    .snapshot(
        "gen/break-batch",
        Redact::default().pattern(
            "[TOKEN]",
            r"(?m)^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$",
        ),
    );
}
