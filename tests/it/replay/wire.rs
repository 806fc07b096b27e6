//! What arrives: each call in both wire formats, generated tokens, App authorization, preflight.

use super::*;

/// One row of the wire table: arguments → what must arrive.
struct WireCase {
    args: Vec<String>,
    method: &'static str,
    path: &'static str,
    query: Option<&'static str>,
    /// Headers besides the common ones (Authorization, foreground, installationid,
    /// pushregistrationid, applicationcode, accept, user-agent).
    extra: Vec<(&'static str, String)>,
    ios: bool,
    body: &'static str,
}

#[test]
fn every_call_in_both_flavours_arrives_exactly_as_the_sdk_sends_it() {
    let tok = good_token("alice");
    let patch_data = r#"{"lastName":"O'Neil","firstName":"<b>A&B</b>","customAttributes":{"vip":null,"level":3,"url":"https://x.y/z"},"birthday":null}"#;
    let s = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
    let cases = vec![
        WireCase {
            args: s(&["fetch-user", "--sdk", "android"]),
            method: "GET",
            path: "/mobile/1/appinstance/reg-1/user",
            query: Some("ri=true"),
            extra: vec![],
            ios: false,
            body: "",
        },
        WireCase {
            args: s(&["fetch-user", "--sdk", "ios"]),
            method: "GET",
            path: "/mobile/1/appinstance/reg-1/user",
            query: Some("ri=1&rt=0"),
            extra: vec![("content-type", "application/json".into())],
            ios: true,
            body: "",
        },
        WireCase {
            args: s(&["patch-user", "--data", patch_data]),
            method: "POST",
            path: "/mobile/1/appinstance/reg-1/user",
            query: None,
            extra: vec![
                ("x-http-method-override", "PATCH".into()),
                ("content-type", "application/json".into()),
            ],
            ios: false,
            // UserMapper.merge sets firstName before lastName (one bucket); the custom
            // attributes end in `new HashMap<>(3)`. As the JVM writes it.
            body: r#"{"birthday":null,"firstName":"\u003cb\u003eA\u0026B\u003c/b\u003e","lastName":"O\u0027Neil","customAttributes":{"vip":null,"level":3,"url":"https://x.y/z"}}"#,
        },
        WireCase {
            args: s(&["save-user", "--sdk", "ios", "--data", patch_data]),
            method: "PATCH",
            path: "/mobile/1/appinstance/reg-1/user",
            query: Some("ri=0&rt=0"),
            extra: vec![("content-type", "application/json".into())],
            ios: true,
            body: r#"{"birthday":null,"customAttributes":{"level":3,"url":"https://x.y/z","vip":null},"firstName":"<b>A&B</b>","lastName":"O'Neil"}"#,
        },
        WireCase {
            args: s(&["personalize", "--user-id", "alice", "--force-depersonalize"]),
            method: "POST",
            path: "/mobile/1/appinstance/reg-1/personalize",
            query: Some("setDeviceAsPrimary=false&keepAsLead=false&forceDepersonalize=true"),
            extra: vec![("content-type", "application/json".into())],
            ios: false,
            body: r#"{"userIdentity":{"externalUserId":"alice"}}"#,
        },
        WireCase {
            args: s(&[
                "personalize",
                "--sdk",
                "ios",
                "--user-id",
                "alice",
                "--keep-as-lead",
                "--data",
                r#"{"userIdentity":{"emails":[{"address":"a@b.c"}]},"userAttributes":{"tags":["x"],"firstName":"A"}}"#,
            ]),
            method: "POST",
            path: "/mobile/1/appinstance/reg-1/personalize",
            query: Some("forceDepersonalize=0&keepAsLead=1&setDeviceAsPrimary=0"),
            extra: vec![("content-type", "application/json".into())],
            ios: true,
            body: r#"{"userAttributes":{"firstName":"A","tags":["x"]},"userIdentity":{"emails":[{"address":"a@b.c"}],"externalUserId":"alice"}}"#,
        },
    ];
    let srv = Server::ok();
    for case in &cases {
        replay(&srv.url)
            .args(&case.args)
            .args(["--token", &tok, "--installation-id", "inst-1"])
            .assert()
            .success();
        let hits = srv.hits();
        let hit = hits.last().unwrap();
        let label = case.args.join(" ");
        assert_eq!(hit.method, case.method, "{label}");
        assert_eq!(hit.path, case.path, "{label}");
        assert_eq!(hit.query.as_deref(), case.query, "{label}");
        assert_eq!(hit.body, case.body, "{label}");
        let ua = if case.ios { ios_ua() } else { android_ua() };
        let bearer = format!("Bearer {tok}");
        let mut expected: Vec<(&str, &str)> = vec![
            ("authorization", bearer.as_str()),
            ("foreground", "true"),
            ("installationid", "inst-1"),
            ("pushregistrationid", "reg-1"),
            ("applicationcode", APP_HASH),
            ("accept", "application/json"),
            ("user-agent", ua.as_str()),
        ];
        let length = case.body.len().to_string();
        if !case.body.is_empty() {
            expected.push(("content-length", length.as_str()));
        }
        if !case.ios {
            // OkHttp's own, inside Android's HttpURLConnection.
            expected.push(("connection", "Keep-Alive"));
            expected.push(("accept-encoding", "gzip"));
        }
        for (n, v) in &case.extra {
            expected.push((n, v.as_str()));
        }
        assert_eq!(hit.headers_sorted(), pairs(&expected), "{label}");
        assert_eq!(
            hit.header("host"),
            Some(srv.url.trim_start_matches("http://"))
        );
    }
    assert_eq!(srv.hits().len(), cases.len());
}

#[test]
fn a_generated_token_is_for_the_user_and_verifies() {
    let srv = Server::ok();
    let a = replay(&srv.url)
        .args(["fetch-user", "--user-id", "alice"])
        .assert()
        .success();
    assert!(stdout(&a).starts_with("HTTP/1.1 200 OK\n"));
    let hits = srv.hits();
    let auth = hits[0].header("authorization").unwrap();
    let tok = auth.strip_prefix("Bearer ").unwrap();
    let k = key();
    let report = mmjwt::token::check::check(
        tok,
        &mmjwt::token::check::Options {
            keys: mmjwt::token::check::Keys::Single(&k),
            expect: mmjwt::token::check::Expectations {
                sub: Some("alice"),
                app_code: Some(APP),
                kid: Some(KID),
            },
            ..mmjwt::token::check::Options::at(mmjwt::time::now_unix())
        },
    );
    assert!(report.valid(), "{:?}", report.problems);
    assert!(report.verified);
}

#[test]
fn app_auth_sends_the_application_code_and_shows_it_redacted() {
    let srv = Server::ok();
    let a = replay(&srv.url)
        .args(["personalize", "--app-auth", "--user-id", "bob", "-v"])
        .assert()
        .success();
    let hits = srv.hits();
    assert_eq!(hits[0].header("authorization"), Some("App test-app-code"));
    assert_eq!(hits[0].body, r#"{"userIdentity":{"externalUserId":"bob"}}"#);
    let err = stderr(&a);
    assert!(
        err.contains("> Authorization: App <redacted: 13 bytes>"),
        "{err}"
    );
    assert!(err.contains("* preflight: not applicable"), "{err}");
    assert!(!err.contains("App test-app-code") && !stdout(&a).contains("App test-app-code"));
}

#[test]
fn preflight_refusals_send_nothing_and_exit_10_or_11() {
    let srv = Server::ok();
    let expired = token("alice", 1_700_000_060);
    let a = replay(&srv.url)
        .args(["fetch-user", "--token", &expired])
        .assert()
        .code(11);
    let err = stderr(&a);
    assert!(
        err.contains("Android SDK would not send this request: JWT_TOKEN_EXPIRED: The provided JWT is expired."),
        "{err}"
    );
    assert!(!err.contains(&expired));

    let a = replay(&srv.url)
        .args(["fetch-user", "--token", "abc.def", "--sdk", "ios"])
        .assert()
        .code(10);
    assert!(
        stderr(&a).contains(
            "JWT_TOKEN_STRUCTURE_INVALID: Token must have three parts separated by dots."
        )
    );

    // iOS lists every missing claim.
    let header = mmjwt::b64::encode(br#"{"alg":"HS256","typ":"JWT","kid":"k"}"#);
    let payload = mmjwt::b64::encode(br#"{"sub":"alice"}"#);
    let a = replay(&srv.url)
        .args(["fetch-user", "--sdk", "ios", "--json", "--token"])
        .arg(format!("{header}.{payload}.c2ln"))
        .assert()
        .code(10);
    let v: Value = serde_json::from_str(stdout(&a).trim()).unwrap();
    assert_eq!(v["sent"], false);
    assert_eq!(v["preflight"]["status"], "refused");
    assert_eq!(v["preflight"]["code"], "JWT_TOKEN_STRUCTURE_INVALID");
    assert_eq!(
        v["preflight"]["message"],
        r#"Missing JWT claims: ["exp", "iat", "infobip-api-key", "jti", "typ"]"#
    );
    assert_eq!(v["response"], Value::Null);

    // A zero lifetime makes the generated token expired.
    replay(&srv.url)
        .args(["personalize", "--user-id", "alice", "--ttl", "0"])
        .assert()
        .code(11);
    assert_eq!(srv.hits().len(), 0, "a refused request must not be sent");

    // --no-preflight sends it anyway, to see what the server says.
    replay(&srv.url)
        .args(["fetch-user", "--no-preflight", "--token", &expired])
        .assert()
        .success();
    assert_eq!(srv.hits().len(), 1);
}

/// The Android request byte for byte as it reaches the server (spec 5.9): headers in the order
/// the SDK sets them, names spelled as it spells them, OkHttp's Host, Connection and
/// Accept-Encoding last; the gzip answer is inflated before it is shown.
#[test]
fn the_android_request_arrives_byte_for_byte_and_a_gzip_answer_is_inflated() {
    // `printf '{"a":1}' | gzip -n`.
    const GZIP: [u8; 27] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab, 0x56, 0x4a, 0x54, 0xb2,
        0x32, 0xac, 0x05, 0x00, 0xaf, 0xac, 0x1b, 0x56, 0x07, 0x00, 0x00, 0x00,
    ];
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        GZIP.len()
    )
    .into_bytes();
    answer.extend_from_slice(&GZIP);
    let answer: &'static [u8] = Box::leak(answer.into_boxed_slice());
    let raw = RawServer::start(Some(answer), Duration::ZERO);
    let tok = good_token("alice");
    let data = r#"{"lastName":"L","firstName":"F","phones":[]}"#;
    let a = replay(&raw.url)
        .args(["save-user", "--token", &tok, "--installation-id", "inst-1"])
        .args(["--session-id", "sess-1", "--data", data])
        .assert()
        .success();
    assert_eq!(stdout(&a), "HTTP/1.1 200 OK\n{\"a\":1}\n");
    let body = r#"{"firstName":"F","lastName":"L","phones":null}"#;
    let host = raw.url.trim_start_matches("http://");
    let expected = format!(
        "POST /mobile/1/appinstance/reg-1/user HTTP/1.1\r\n\
         X-HTTP-Method-Override: PATCH\r\n\
         Authorization: Bearer {tok}\r\n\
         applicationcode: {APP_HASH}\r\n\
         pushregistrationid: reg-1\r\n\
         foreground: true\r\n\
         sessionId: sess-1\r\n\
         installationid: inst-1\r\n\
         Accept: application/json\r\n\
         User-Agent: {ua}\r\n\
         Content-Length: {len}\r\n\
         Content-Type: application/json\r\n\
         Host: {host}\r\n\
         Connection: Keep-Alive\r\n\
         Accept-Encoding: gzip\r\n\
         \r\n",
        ua = android_ua(),
        len = body.len()
    );
    let got = String::from_utf8(raw.received()).unwrap();
    assert_eq!(&got[..expected.len().min(got.len())], expected);
    assert!(expected.len() + body.len() >= got.len() && body.starts_with(&got[expected.len()..]));
}

/// The body after `--dry-run`'s blank line, and stderr.
fn dry_body(args: &[&str]) -> (String, String) {
    let srv = Server::ok();
    let a = replay(&srv.url)
        .args(args)
        .args(["--app-auth", "--installation-id", "inst-1", "--dry-run"])
        .assert()
        .success();
    let out = stdout(&a);
    let body = out.split_once("\n\n").unwrap().1.trim_end().to_string();
    assert_eq!(srv.hits().len(), 0);
    (body, stderr(&a))
}

/// Spec 5.9, body rules: Double.toString for non-integral numbers, integers as written
/// whatever their size, `null` empty contact sets, sets without duplicates or `preferred`
/// (with a note saying so), `{}` for all-null personalize attributes.
#[test]
fn android_bodies_follow_the_sdks_types() {
    let data = r#"{"customAttributes":{"n":1.0E7,"m":0.0001,"big":-10000000000000000000000000,"w":10.0},"phones":[{"number":"1","preferred":true},{"number":"1"}],"emails":[],"tags":["t","t"]}"#;
    let (body, err) = dry_body(&["save-user", "--data", data]);
    assert_eq!(
        body,
        // As the JVM writes it (tests/java/GsonWireOracle.java).
        r#"{"emails":null,"phones":[{"number":"1"}],"tags":["t"],"customAttributes":{"big":-10000000000000000000000000,"m":1.0E-4,"n":1.0E7,"w":10.0}}"#
    );
    assert!(
        err.contains("mmjwt: note: phones: `preferred` left out"),
        "{err}"
    );
    assert!(err.contains("phones: 1 duplicate(s) left out"), "{err}");
    assert!(err.contains("tags: 1 duplicate(s) left out"), "{err}");
    let (body, _) = dry_body(&[
        "personalize",
        "--data",
        r#"{"userIdentity":{"externalUserId":"u","phones":[]},"userAttributes":{"firstName":null}}"#,
    ]);
    assert_eq!(
        body,
        r#"{"userIdentity":{"externalUserId":"u"},"userAttributes":{}}"#
    );
    // A number beyond a double cannot be sent by either SDK.
    let srv = Server::ok();
    let a = replay(&srv.url)
        .args(["save-user", "--app-auth", "--dry-run"])
        .args(["--data", r#"{"customAttributes":{"x":1e400}}"#])
        .assert()
        .code(2);
    assert!(stderr(&a).contains("customAttributes.x is beyond the range of a double"));
}

/// Spec 5.10: tags a set, no `preferred`, empty list attributes dropped (no call when nothing
/// is left), personalize without empty identity lists and with `{}` attributes, keys sorted as
/// Apple sorts them.
#[test]
fn ios_bodies_follow_the_sdks_types() {
    let data = r#"{"customAttributes":{"a10":1,"a9":2,"B":3,"l":[]},"emails":[{"address":"x","preferred":false},{"address":"x"}],"tags":["t","t"]}"#;
    let (body, err) = dry_body(&["save-user", "--sdk", "ios", "--data", data]);
    assert_eq!(
        body,
        r#"{"customAttributes":{"a9":2,"a10":1,"B":3},"emails":[{"address":"x"},{"address":"x"}],"tags":["t"]}"#
    );
    assert!(
        err.contains("customAttributes.'l': an empty list is left out by the iOS SDK"),
        "{err}"
    );
    let (body, _) = dry_body(&[
        "personalize",
        "--sdk",
        "ios",
        "--data",
        r#"{"userIdentity":{"externalUserId":"u","emails":[]},"userAttributes":{"lastName":null}}"#,
    ]);
    assert_eq!(
        body,
        r#"{"userAttributes":{},"userIdentity":{"externalUserId":"u"}}"#
    );
    let srv = Server::ok();
    let a = replay(&srv.url)
        .args(["save-user", "--sdk", "ios", "--app-auth", "--dry-run"])
        .args(["--data", r#"{"customAttributes":{"l":[]}}"#])
        .assert()
        .code(2);
    assert!(stderr(&a).contains("sends no request"), "{}", stderr(&a));
}
