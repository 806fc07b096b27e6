//! What is shown: -v heads, --curl, --json, the error envelope, all redacted.

use super::*;

#[test]
fn verbose_shows_both_heads_with_the_token_redacted() {
    let srv = Server::ok();
    let tok = good_token("alice");
    let a = replay(&srv.url)
        .args(["fetch-user", "-v", "--token", &tok])
        .assert()
        .success();
    let err = stderr(&a);
    assert!(
        err.contains(&format!(
            "> Authorization: Bearer <redacted: kid=test-key-id, {} bytes>\n",
            tok.len()
        )),
        "{err}"
    );
    assert!(err.contains("> GET /mobile/1/appinstance/reg-1/user?ri=true HTTP/1.1\n"));
    assert!(
        err.contains("< HTTP/1.1 200 OK\n< content-type: application/json\n"),
        "{err}"
    );
    assert!(err.contains("* preflight: the Android SDK accepts the token"));
    assert!(!err.contains(&tok) && !stdout(&a).contains(&tok));
    // Stdout has only the status and the body.
    assert_eq!(
        stdout(&a),
        "HTTP/1.1 200 OK\n{\"externalUserId\":\"alice\",\"type\":\"CUSTOMER\"}\n"
    );
}

#[test]
fn curl_output_is_redacted_unless_asked_and_sends_nothing() {
    let srv = Server::ok();
    let tok = good_token("alice");
    let a = personalize_with_token(&srv.url, "alice", &tok, &["--curl"])
        .assert()
        .success();
    let out = stdout(&a);
    assert!(
        out.starts_with(
            "curl --silent --show-error \\\n  --max-time 10 \\\n  --compressed \\\n  '"
        ),
        "{out}"
    );
    assert!(out.contains(&format!(
        "--header 'Authorization: Bearer <redacted: kid=test-key-id, {} bytes>'",
        tok.len()
    )));
    assert!(out.contains(r#"--data-raw '{"userIdentity":{"externalUserId":"alice"}}'"#));
    assert!(!out.contains(&tok) && !stderr(&a).contains(&tok));
    assert!(stderr(&a).contains("--show-secrets"));
    let shown = personalize_with_token(&srv.url, "alice", &tok, &["--curl", "--show-secrets"])
        .assert()
        .success();
    assert!(stdout(&shown).contains(&format!("--header 'Authorization: Bearer {tok}'")));
    assert_eq!(srv.hits().len(), 0);
}

#[test]
fn json_output_has_request_response_and_no_token() {
    let srv = Server::start(|_| {
        Reply {
        status: 401,
        headers: vec![("content-type", "application/json".into()), ("x-trace", "t1".into())],
        body: r#"{"requestError":{"serviceException":{"messageId":"SUB_MISMATCH","text":"The token is for someone else."}}}"#.into(),
    }
    });
    let tok = good_token("alice");
    let a = personalize_with_token(&srv.url, "mallory", &tok, &["--json"])
        .assert()
        .code(4);
    let out = stdout(&a);
    assert!(!out.contains(&tok));
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["call"], "personalize");
    assert_eq!(v["sdk"], "android");
    assert_eq!(v["sent"], true);
    assert_eq!(v["preflight"]["status"], "passed");
    assert_eq!(v["request"]["method"], "POST");
    assert_eq!(
        v["request"]["url"],
        format!(
            "{}/mobile/1/appinstance/reg-1/personalize?setDeviceAsPrimary=false&keepAsLead=false&forceDepersonalize=false",
            srv.url
        )
    );
    assert_eq!(
        v["request"]["headers"]["Authorization"],
        format!("Bearer <redacted: kid=test-key-id, {} bytes>", tok.len())
    );
    assert_eq!(
        v["request"]["body"],
        json!({"userIdentity": {"externalUserId": "mallory"}})
    );
    assert_eq!(v["response"]["status"], 401);
    assert_eq!(v["response"]["headers"]["x-trace"], "t1");
    assert_eq!(v["response"]["body_is_json"], true);
    assert_eq!(
        v["response"]["service_exception"],
        json!({"messageId": "SUB_MISMATCH", "text": "The token is for someone else."})
    );
    assert!(v["elapsed_ms"].is_u64());
    assert_eq!(v["error"], Value::Null);
    assert_eq!(v["exit_code"], 4);
}

#[test]
fn the_error_envelope_is_shown_with_its_message_id() {
    let srv = Server::start(|_| {
        Reply::json(
            403,
            r#"{"requestError":{"serviceException":{"messageId":"USER_DATA_RESTRICTED","text":"externalUserId cannot change."}}}"#,
        )
    });
    let a = replay(&srv.url)
        .args([
            "patch-user",
            "--user-id",
            "alice",
            "--data",
            r#"{"externalUserId":"eve"}"#,
        ])
        .assert()
        .code(4);
    let out = stdout(&a);
    assert!(
        out.starts_with("HTTP/1.1 403 Forbidden\nmessageId USER_DATA_RESTRICTED: externalUserId cannot change.\n{"),
        "{out}"
    );
}
