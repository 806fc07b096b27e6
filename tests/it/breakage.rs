//! `gen --break KIND` and `replay --break KIND`: for every kind, `check` of the produced token
//! gives exactly the predicted verdicts and the sandbox in JWT-only mode answers as predicted;
//! the stdout contract, batches, replay through the embedded sandbox and the preflight's
//! refusal (nothing sent), the human output's snapshots and bad input.

use crate::support::api::{Api, Auth, identity};
use crate::support::http::Server;
use crate::support::snapshot::{Redact, run};
use crate::support::{SECRET_HEX, json_out, mmjwt, mmjwt_with_creds};
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
    let out = mmjwt_with_creds()
        .args([
            "--json",
            "gen",
            "--user-id",
            "alice",
            "--now",
            NOW,
            "--jti",
            JTI,
        ])
        .args(["--break", kind.name()])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    json_out(&out)
}

/// `check --json` of `token` with everything the App Profile and the call know.
fn check_json(token: &str) -> Value {
    let out = mmjwt()
        .args(["--json", "check", "--secret", SECRET_HEX, "--app-code", APP])
        .args(["--key-id", KID, "--user-id", "alice", "--now", NOW, token])
        .output()
        .unwrap();
    json_out(&out)
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
    let key = Secret::from_hex(SECRET_HEX).unwrap().hmac_key();
    let mut cfg = Config::new(Mode::JwtOnly, APP).with_key(KID, key);
    cfg.clock = Clock::Fixed(NOW_SECS);
    let sb = Sandbox::start(cfg, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::new(sb.url());
    for (n, kind) in BreakKind::ALL.into_iter().enumerate() {
        let v = gen_json(kind, &[]);
        let token = v["token"].as_str().unwrap().to_owned();
        let predicted = &v["break"];
        assert_eq!(predicted["kind"], kind.name());

        // check: exactly the predicted SDK objects, verdicts and plugin objects alike.
        let report = tokio::task::spawn_blocking({
            let token = token.clone();
            move || check_json(&token)
        })
        .await
        .unwrap();
        assert_eq!(report["sdk"], predicted["sdk"], "{kind:?}");

        // The sandbox in JWT-only mode: the predicted status and messageId, for a call that
        // personalizes alice (whom the intended token is for).
        let reply = api
            .personalize(
                &format!("reg-{n}"),
                "",
                &Auth::Bearer(token.clone()),
                &identity("alice"),
            )
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
    sb.shutdown().await.unwrap();
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

#[test]
fn replay_refuses_what_the_sdk_refuses_and_sends_nothing() {
    let srv = Server::ok();
    for (kind, code) in [("expired", 11), ("structure", 10)] {
        let out = mmjwt_with_creds()
            .args([
                "replay",
                "personalize",
                "--user-id",
                "alice",
                "--break",
                kind,
            ])
            .args(["--base-url", &srv.url, "--push-reg-id", "reg-1"])
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{kind}: {out:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("would not send this request"), "{stderr}");
    }
    assert!(srv.hits().is_empty(), "nothing may be sent");
    // A kind the SDK accepts goes out, with the broken token.
    mmjwt_with_creds()
        .args([
            "replay",
            "personalize",
            "--user-id",
            "alice",
            "--break",
            "kid",
        ])
        .args(["--base-url", &srv.url, "--push-reg-id", "reg-1"])
        .timeout(Duration::from_secs(30))
        .assert()
        .success();
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
        stderr.lines().next(),
        Some("mmjwt: error: invalid value 'bogus' for '--break <KIND>'")
    );
    assert!(stderr.contains("expired, structure, signature, user, app-code, kid"));
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
    // replay: the embedded sandbox's answer to a broken token, and the preflight's refusal.
    let port = || Redact::default().pattern("[PORT]", r"127\.0\.0\.1:(?<redacted>\d+)\b");
    run(&[
        "replay",
        "personalize",
        "--user-id",
        "alice",
        "--break",
        "kid",
    ])
    .snapshot("replay/break-kid-embedded", port());
    run(&[
        "replay",
        "personalize",
        "--user-id",
        "alice",
        "--break",
        "expired",
        "--plugin",
        "flutter",
    ])
    .snapshot("replay/break-expired-refused", port());
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
