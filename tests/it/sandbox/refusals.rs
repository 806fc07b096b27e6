//! Refusals, one by one, each with its status and messageId.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_refusals_carry_the_check_problem_code() {
    let (_sb, api) = start(config(Mode::AllowAll)).await;
    api.personalize("r", "", &APP_AUTH, &identity("alice"))
        .await
        .ok();
    let hdr = r#"{"alg":"HS256","typ":"JWT","kid":"k1"}"#;
    let claims = |typ: &str, exp: &str| {
        format!(
            r#"{{"typ":{typ},"sub":"alice","infobip-api-key":"{APP}","iat":{},"exp":{exp},"jti":"x"}}"#,
            NOW - 10
        )
    };
    let good_exp = (NOW + 60).to_string();
    let cases: Vec<(Auth, &str)> = vec![
        (Auth::Header("Basic abc".into()), "AUTHORIZATION_INVALID"),
        (Auth::Header("App".into()), "1"),
        (Auth::Bearer("a.b".into()), "JWT_TOKEN_STRUCTURE_INVALID"),
        (Auth::Bearer(String::new()), "JWT_TOKEN_STRUCTURE_INVALID"),
        (
            Auth::Bearer(token_with("k1", K1, "alice", APP, NOW)),
            "JWT_TOKEN_EXPIRED",
        ),
        (
            Auth::Bearer(token_with("k1", K2, "alice", APP, NOW + 60)),
            "SIGNATURE_INVALID",
        ),
        (
            Auth::Bearer(token_with("k9", K1, "alice", APP, NOW + 60)),
            "KID_UNKNOWN",
        ),
        (
            Auth::Bearer(token_with("k1", K1, "alice", "other-app", NOW + 60)),
            "APP_CODE_MISMATCH",
        ),
        // Several problems: the one with the lowest exit code wins (expired = 11 < 13).
        (
            Auth::Bearer(token_with("k1", K1, "alice", "other-app", NOW - 5)),
            "JWT_TOKEN_EXPIRED",
        ),
        (
            Auth::Bearer(raw_token(hdr, &claims("\"jwt\"", &good_exp), K1)),
            "TYP_NOT_BEARER",
        ),
        (
            Auth::Bearer(raw_token(
                r#"{"alg":"HS512","typ":"JWT","kid":"k1"}"#,
                &claims("\"Bearer\"", &good_exp),
                K1,
            )),
            "ALG_NOT_ALLOWED",
        ),
        (
            Auth::Bearer(raw_token(hdr, &claims("\"Bearer\"", "\"1900000100\""), K1)),
            "CLAIM_TYPE_INVALID",
        ),
        (Auth::Bearer("a".repeat(9000)), "TOKEN_TOO_LARGE"),
    ];
    for (auth, id) in cases {
        let r = api.fetch("r", &auth).await;
        r.refused(401, id);
        let text = r.body["requestError"]["serviceException"]["text"]
            .as_str()
            .unwrap();
        if let Auth::Bearer(t) = &auth
            && t.len() > 10
        {
            assert!(!text.contains(t.as_str()), "the token is never echoed");
        }
    }
    // The control: a good token for alice passes, with either configured key.
    api.fetch("r", &Auth::Bearer(token("alice"))).await.ok();
    let k2 = token_with("k2", K2, "alice", APP, NOW + 60);
    api.fetch("r", &Auth::Bearer(k2)).await.ok();

    // Two Authorization headers are refused rather than guessed between.
    let r = api
        .send(
            "GET",
            "/mobile/1/appinstance/r/user",
            &APP_AUTH,
            None,
            &[("Authorization", "App test-app")],
        )
        .await;
    r.refused(401, "AUTHORIZATION_INVALID");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwt_only_rules() {
    let (_sb, api) = start(config(Mode::JwtOnly)).await;
    let alice = || Auth::Bearer(token("alice"));
    api.personalize("r", "", &alice(), &identity("alice"))
        .await
        .ok();

    // A personalized person's data needs a token for that person.
    api.fetch("r", &APP_AUTH).await.refused(401, "JWT_REQUIRED");
    api.patch("r", &APP_AUTH, &json!({"firstName": "X"}))
        .await
        .refused(401, "JWT_REQUIRED");
    api.fetch("r", &Auth::Bearer(token("bob")))
        .await
        .refused(401, "SUB_MISMATCH");
    api.personalize("r2", "", &alice(), &identity("bob"))
        .await
        .refused(401, "SUB_MISMATCH");
    api.personalize(
        "r2",
        "",
        &alice(),
        &json!({"userIdentity": {"emails": [{"address": "a@b.c"}]}}),
    )
    .await
    .refused(401, "SUB_MISMATCH");

    // externalUserId changes only through personalize; repeating the same value is no change.
    api.patch("r", &alice(), &json!({"externalUserId": "mallory"}))
        .await
        .refused(403, "EXTERNAL_USER_ID_CHANGE_FORBIDDEN");
    api.patch_android("r", &alice(), &json!({"externalUserId": null}))
        .await
        .refused(403, "EXTERNAL_USER_ID_CHANGE_FORBIDDEN");
    api.patch("anon", &APP_AUTH, &json!({"externalUserId": "x"}))
        .await
        .refused(403, "EXTERNAL_USER_ID_CHANGE_FORBIDDEN");
    let u = api
        .patch(
            "r",
            &alice(),
            &json!({"externalUserId": "alice", "lastName": "A"}),
        )
        .await;
    assert_eq!(u.ok()["lastName"], "A");

    // Anonymous installations stay usable with the app code.
    api.patch("anon", &APP_AUTH, &json!({"firstName": "Anon"}))
        .await
        .ok();
    assert_eq!(api.fetch("anon", &APP_AUTH).await.ok()["firstName"], "Anon");
    // Depersonalize always uses the app code (as both SDKs do).
    api.depersonalize("r", &APP_AUTH).await.ok();
    assert!(
        api.fetch("r", &APP_AUTH)
            .await
            .ok()
            .get("externalUserId")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_jti_is_refused_only_when_asked() {
    let t = token("alice");
    let mut cfg = config(Mode::AllowAll);
    cfg.reject_replayed_jti = true;
    let (_sb, api) = start(cfg).await;
    api.personalize("r", "", &Auth::Bearer(t.clone()), &identity("alice"))
        .await
        .ok();
    api.fetch("r", &Auth::Bearer(t.clone()))
        .await
        .refused(401, "JTI_REPLAYED");
    api.fetch("r", &Auth::Bearer(token("alice"))).await.ok();

    let (_sb2, api2) = start(config(Mode::AllowAll)).await;
    api2.personalize("r", "", &Auth::Bearer(t.clone()), &identity("alice"))
        .await
        .ok();
    api2.fetch("r", &Auth::Bearer(t)).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_installations_need_registration() {
    let mut cfg = config(Mode::AllowAll);
    cfg.strict_installations = true;
    cfg.installations = vec!["known".into()];
    let (sb, api) = start(cfg).await;
    for r in [
        api.fetch("unknown", &APP_AUTH).await,
        api.patch("unknown", &APP_AUTH, &json!({})).await,
        api.personalize("unknown", "", &APP_AUTH, &identity("a"))
            .await,
        api.depersonalize("unknown", &APP_AUTH).await,
    ] {
        r.refused(404, "NO_REGISTRATION");
    }
    assert_eq!(sb.counts().0, 1, "refusals create nothing");
    api.fetch("known", &APP_AUTH).await.ok();
    // Authorization is judged before the installation is looked up.
    api.fetch("unknown", &Auth::None)
        .await
        .refused(401, "AUTHORIZATION_MISSING");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_and_queries_are_400() {
    let (sb, api) = start(config(Mode::AllowAll)).await;
    let user = "/mobile/1/appinstance/r/user";
    let pers = "/mobile/1/appinstance/r/personalize";
    let bad: [(&str, &str, Option<&str>, &str); 14] = [
        ("PATCH", user, Some("{"), "REQUEST_FORMAT_INVALID"),
        ("PATCH", user, Some(""), "REQUEST_FORMAT_INVALID"),
        ("PATCH", user, Some("[]"), "REQUEST_FORMAT_INVALID"),
        (
            "PATCH",
            user,
            Some(r#"{"firstName": 1}"#),
            "REQUEST_FORMAT_INVALID",
        ),
        (
            "PATCH",
            user,
            Some(r#"{"tags": "x"}"#),
            "REQUEST_FORMAT_INVALID",
        ),
        (
            "PATCH",
            user,
            Some(r#"{"birthday": "31.07.1988"}"#),
            "REQUEST_FORMAT_INVALID",
        ),
        (
            "PATCH",
            user,
            Some(r#"{"gender": "M"}"#),
            "REQUEST_FORMAT_INVALID",
        ),
        (
            "PATCH",
            user,
            Some(r#"{"nickname": "x"}"#),
            "REQUEST_FORMAT_INVALID",
        ),
        (
            "PATCH",
            user,
            Some(r#"{"emails": [{"address": "nope"}]}"#),
            "EMAIL_INVALID",
        ),
        (
            "PATCH",
            user,
            Some(r#"{"phones": [{"number": "12"}]}"#),
            "PHONE_INVALID",
        ),
        ("POST", pers, Some("not json"), "REQUEST_FORMAT_INVALID"),
        (
            "POST",
            pers,
            Some(r#"{"userIdentity": {}}"#),
            "USER_IDENTITY_INVALID",
        ),
        (
            "POST",
            pers,
            Some(r#"{"userAttributes": {}}"#),
            "USER_IDENTITY_INVALID",
        ),
        (
            "POST",
            "/mobile/1/appinstance/r/personalize?keepAsLead=yes",
            Some(r#"{"userIdentity": {"externalUserId": "a"}}"#),
            "REQUEST_FORMAT_INVALID",
        ),
    ];
    for (method, path, body, id) in bad {
        let r = api.send(method, path, &APP_AUTH, body, &[]).await;
        r.refused(400, id);
    }
    api.send(
        "GET",
        "/mobile/1/appinstance/r/user?ri=maybe",
        &APP_AUTH,
        None,
        &[],
    )
    .await
    .refused(400, "REQUEST_FORMAT_INVALID");
    assert_eq!(
        sb.counts(),
        (0, 0),
        "nothing was created by refused requests"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflicts_and_unknown_routes() {
    let (_sb, api) = start(config(Mode::AllowAll)).await;
    api.personalize("r1", "", &APP_AUTH, &identity("alice"))
        .await
        .ok();
    api.personalize("r1", "", &APP_AUTH, &identity("bob"))
        .await
        .refused(409, "PERSONALIZATION_IMPOSSIBLE");
    let u = api
        .personalize(
            "r1",
            "?forceDepersonalize=true",
            &APP_AUTH,
            &identity("bob"),
        )
        .await;
    assert_eq!(u.ok()["externalUserId"], "bob");
    api.patch("r2", &APP_AUTH, &json!({"externalUserId": "bob"}))
        .await
        .refused(409, "USER_MERGE_INTERRUPTED");

    // Two persons sharing an email: personalizing by that email alone is ambiguous.
    let with_email = |ext: &str| json!({"userIdentity": {"externalUserId": ext, "emails": [{"address": "same@x.io"}]}});
    api.personalize("r3", "", &APP_AUTH, &with_email("carol"))
        .await
        .ok();
    api.personalize("r4", "", &APP_AUTH, &with_email("dave"))
        .await
        .ok();
    api.personalize(
        "r5",
        "",
        &APP_AUTH,
        &json!({"userIdentity": {"emails": [{"address": "same@x.io"}]}}),
    )
    .await
    .refused(409, "AMBIGUOUS_PERSONALIZE_CANDIDATES");

    api.send("GET", "/nope", &APP_AUTH, None, &[])
        .await
        .refused(404, "NOT_FOUND");
    api.send(
        "GET",
        "/mobile/1/appinstance/r/personalize",
        &APP_AUTH,
        None,
        &[],
    )
    .await
    .refused(405, "METHOD_NOT_ALLOWED");
    api.send(
        "DELETE",
        "/mobile/1/appinstance/r/user",
        &APP_AUTH,
        None,
        &[],
    )
    .await
    .refused(405, "METHOD_NOT_ALLOWED");
    // POST on /user is a save only with the override header.
    api.send(
        "POST",
        "/mobile/1/appinstance/r/user",
        &APP_AUTH,
        Some("{}"),
        &[],
    )
    .await
    .refused(405, "METHOD_NOT_ALLOWED");
    api.send(
        "POST",
        "/mobile/1/appinstance/r/user",
        &APP_AUTH,
        Some("{}"),
        &[("X-HTTP-Method-Override", "DELETE")],
    )
    .await
    .refused(405, "METHOD_NOT_ALLOWED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_get_413_in_the_envelope() {
    let (_sb, api) = start(config(Mode::AllowAll)).await;
    let big = format!(r#"{{"firstName":"{}"}}"#, "x".repeat(64 * 1024));
    api.send(
        "PATCH",
        "/mobile/1/appinstance/r/user",
        &APP_AUTH,
        Some(&big),
        &[],
    )
    .await
    .refused(413, "BODY_TOO_LARGE");
    // Just under the limit is fine (tags: a member without a length limit of its own).
    let fits = format!(r#"{{"tags":["{}"]}}"#, "x".repeat(64 * 1024 - 20));
    api.send(
        "PATCH",
        "/mobile/1/appinstance/r/user",
        &APP_AUTH,
        Some(&fits),
        &[],
    )
    .await
    .ok();
}

/// The SDKs' user-data limits, checked again server-side: 400 `USER_DATA_LIMIT_EXCEEDED` with
/// every problem, and the person is what it was before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_data_over_the_limits_is_400_and_changes_nothing() {
    let (_sb, api) = start(config(Mode::AllowAll)).await;
    api.personalize("r1", "", &APP_AUTH, &identity("alice"))
        .await
        .ok();
    api.patch(
        "r1",
        &APP_AUTH,
        &json!({"firstName": "Alice", "middleName": "M"}),
    )
    .await
    .ok();
    let before = api.fetch("r1", &APP_AUTH).await.ok().clone();
    let over = json!({"firstName": "f".repeat(256), "middleName": "m".repeat(51),
        "lastName": "Smith"});
    let r = api.patch("r1", &APP_AUTH, &over).await;
    r.refused(400, "USER_DATA_LIMIT_EXCEEDED");
    let text = r.body["requestError"]["serviceException"]["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        text,
        "user data over the People API limits: firstName exceeds maximum length of 255 characters (actual: 256); middleName exceeds maximum length of 50 characters (actual: 51)"
    );
    // personalize: identity and attributes both checked.
    let body = json!({"userIdentity": {"externalUserId": "alice"},
        "userAttributes": {"lastName": "l".repeat(256)}});
    api.personalize("r1", "", &APP_AUTH, &body)
        .await
        .refused(400, "USER_DATA_LIMIT_EXCEEDED");
    let emails: Vec<Value> = (0..101)
        .map(|i| json!({"address": format!("{i}@x.io")}))
        .collect();
    api.patch("r1", &APP_AUTH, &json!({ "emails": emails }))
        .await
        .refused(400, "USER_DATA_LIMIT_EXCEEDED");
    assert_eq!(
        api.fetch("r1", &APP_AUTH).await.ok(),
        &before,
        "the person is unchanged"
    );
    // At the limits it is saved.
    let at = json!({"firstName": "f".repeat(255), "middleName": "m".repeat(50)});
    api.patch("r1", &APP_AUTH, &at).await.ok();
    let after = api.fetch("r1", &APP_AUTH).await;
    assert_eq!(after.ok()["middleName"], "m".repeat(50));
}
