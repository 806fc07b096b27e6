//! The embedded sandbox when no base URL is given, and tokens from standard input.

use super::*;

/// The README's main job: nothing configured, no base URL.
#[test]
fn personalize_with_nothing_configured_uses_the_embedded_sandbox() {
    // Nothing configured: the helper clears every variable that would configure mmjwt.
    let mut c = crate::support::mmjwt();
    let a = c
        .args(["replay", "personalize", "--user-id", "alice"])
        .timeout(Duration::from_secs(30))
        .assert()
        .success();
    assert!(stdout(&a).starts_with("HTTP/1.1 200"), "{}", stdout(&a));
    assert!(stderr(&a).contains("embedded sandbox at http://127.0.0.1:"));
    assert!(stderr(&a).contains("ephemeral app code, key id, secret"));
}

/// In jwt-only mode an anonymous personalize is refused by the embedded sandbox.
#[test]
fn anonymous_personalize_is_refused_by_the_embedded_sandbox() {
    // Nothing configured: the helper clears every variable that would configure mmjwt.
    let mut c = crate::support::mmjwt();
    c.args(["replay", "personalize", "--user-id", "alice", "--app-auth"])
        .timeout(Duration::from_secs(30))
        .assert()
        .code(4);
}

#[test]
fn a_token_from_standard_input_the_save_user_alias_and_personalize_as_its_sub() {
    let srv = Server::ok();
    let tok = good_token("alice");
    replay(&srv.url)
        .args(["save-user", "--token", "-", "--data", r#"{"tags":["a"]}"#])
        .write_stdin(format!("  {tok}\n"))
        .assert()
        .success();
    // Personalize as the token's sub when no --user-id is given.
    replay(&srv.url)
        .args(["personalize", "--sdk", "ios", "--token", &tok])
        .assert()
        .success();
    let hits = srv.hits();
    assert_eq!(
        hits[1].body,
        r#"{"userIdentity":{"externalUserId":"alice"}}"#
    );
    assert_eq!(
        hits[0].header("authorization"),
        Some(format!("Bearer {tok}").as_str())
    );
    assert_eq!(hits[0].header("x-http-method-override"), Some("PATCH"));
}
