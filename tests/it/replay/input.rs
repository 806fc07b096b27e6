//! Input: --data checks and sources, --dry-run, usage errors.

use super::*;

#[test]
fn bad_data_is_refused_before_anything_is_sent() {
    let srv = Server::ok();
    for (args, want) in [
        (
            vec!["patch-user", "--data", "{nope"],
            "--data is not valid JSON",
        ),
        (
            vec!["patch-user", "--data", "{}"],
            "ERROR_SAVING_EMPTY_OBJECT",
        ),
        (
            vec!["patch-user", "--data", r#"{"gender":"other"}"#],
            "\"Male\" or \"Female\"",
        ),
        (
            vec!["patch-user", "--data", r#"{"nick":"x"}"#],
            "unknown member 'nick'",
        ),
        (
            vec![
                "personalize",
                "--data",
                r#"{"userAttributes":{"firstName":"A"}}"#,
                "--app-auth",
            ],
            "needs a user identity",
        ),
        (
            vec!["personalize", "--data", "[1]"],
            "must be a JSON object",
        ),
    ] {
        // An anonymous personalize has no user id to fill the identity from.
        let user: &[&str] = if args.contains(&"--app-auth") {
            &[]
        } else {
            &["--user-id", "alice"]
        };
        let a = replay(&srv.url).args(&args).args(user).assert().code(2);
        assert!(stderr(&a).contains(want), "{args:?}: {}", stderr(&a));
    }
    assert_eq!(srv.hits().len(), 0);
}

#[test]
fn data_comes_from_a_file_or_standard_input() {
    let srv = Server::ok();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("user.json");
    std::fs::write(&f, r#"{"firstName":"Filed"}"#).unwrap();
    replay(&srv.url)
        .args(["patch-user", "--sdk", "ios", "--user-id", "alice", "--data"])
        .arg(format!("@{}", f.display()))
        .assert()
        .success();
    replay(&srv.url)
        .args([
            "patch-user",
            "--sdk",
            "ios",
            "--user-id",
            "alice",
            "--data",
            "-",
        ])
        .write_stdin(r#"{"lastName":"Piped"}"#)
        .assert()
        .success();
    let bodies: Vec<String> = srv.hits().into_iter().map(|h| h.body).collect();
    assert_eq!(
        bodies,
        [r#"{"firstName":"Filed"}"#, r#"{"lastName":"Piped"}"#]
    );
    let a = replay(&srv.url)
        .args([
            "patch-user",
            "--user-id",
            "alice",
            "--data",
            "@/nonexistent/user.json",
        ])
        .assert()
        .code(1);
    assert!(stderr(&a).contains("cannot read --data file /nonexistent/user.json"));
}

#[test]
fn dry_run_prints_the_exact_request_and_sends_nothing() {
    let srv = Server::ok();
    let tok = good_token("alice");
    let a = personalize_with_token(
        &srv.url,
        "alice",
        &tok,
        &["--installation-id", "inst-1", "--dry-run"],
    )
    .assert()
    .success();
    let host = srv.url.trim_start_matches("http://");
    let expected = format!(
        "POST /mobile/1/appinstance/reg-1/personalize?setDeviceAsPrimary=false&keepAsLead=false&forceDepersonalize=false HTTP/1.1\n\
         Authorization: Bearer <redacted: kid=test-key-id, {len} bytes>\n\
         applicationcode: {APP_HASH}\n\
         pushregistrationid: reg-1\n\
         foreground: true\n\
         installationid: inst-1\n\
         Accept: application/json\n\
         User-Agent: {ua}\n\
         Content-Length: 43\n\
         Content-Type: application/json\n\
         Host: {host}\n\
         Connection: Keep-Alive\n\
         Accept-Encoding: gzip\n\
         \n\
         {{\"userIdentity\":{{\"externalUserId\":\"alice\"}}}}\n",
        len = tok.len(),
        ua = android_ua()
    );
    assert_eq!(stdout(&a), expected);
    assert_eq!(srv.hits().len(), 0);
}

#[test]
fn usage_errors() {
    let srv = Server::ok();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["fetch-user"], "pass --user-id ID to generate one"),
        (
            vec!["fetch-user", "--user-id", "a", "--push-reg-id", "a/b"],
            "--push-reg-id must be",
        ),
        (
            vec!["fetch-user", "--user-id", "a", "--timeout", "0ms"],
            "--timeout",
        ),
        (
            vec!["fetch-user", "--user-id", "a", "--base-url", "ftp://x"],
            "--base-url must be http or https",
        ),
        (
            vec!["fetch-user", "--token", "-", "--secret-stdin"],
            "standard input can carry only one of",
        ),
        (
            vec!["fetch-user", "--token", "a\u{1}b"],
            "--token has characters",
        ),
    ];
    for (args, want) in cases {
        let a = replay(&srv.url).args(&args).assert().code(2);
        assert!(stderr(&a).contains(want), "{args:?}: {}", stderr(&a));
    }
    // --push-reg-id is required with a base URL.
    let a = replay(&srv.url)
        .env_remove("MMJWT_PUSH_REG_ID")
        .args(["fetch-user", "--user-id", "a"])
        .assert()
        .code(2);
    assert!(stderr(&a).contains("--push-reg-id ID is required with --base-url"));
    assert_eq!(srv.hits().len(), 0);
}
