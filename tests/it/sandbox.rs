//! `mmjwt sandbox`: every mode × call × kind of authorization, every refusal with its status and
//! messageId, both save-user styles, the data model, limits, persistence across restarts and a
//! SIGKILL of the binary, and a bounded concurrent load. All traffic stays on 127.0.0.1, every
//! server binds port 0, and every response is checked for JSON with a correct Content-Length.

use mmjwt::sandbox::{Clock, Config, LogFormat, Mode, Sandbox, SandboxThread};
use mmjwt::secret::{HmacKey, Secret};
use mmjwt::token::mint::{Claims, Minter};
use serde_json::{Value, json};
use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NOW: i64 = 1_900_000_000;
const APP: &str = "test-app";
const K1: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const K2: &str = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";

fn key(hex: &str) -> HmacKey {
    Secret::from_hex(hex).unwrap().hmac_key()
}

fn config(mode: Mode) -> Config {
    let mut c = Config::new(mode, APP)
        .with_key("k1", key(K1))
        .with_key("k2", key(K2));
    c.clock = Clock::Fixed(NOW);
    c
}

static JTI: AtomicUsize = AtomicUsize::new(0);

/// A token with every claim under the caller's control.
fn token_with(kid: &str, hex: &str, sub: &str, app: &str, exp: i64) -> String {
    let jti = format!("jti-{}", JTI.fetch_add(1, Ordering::Relaxed));
    Minter::new(kid, key(hex))
        .mint(&Claims {
            sub,
            app_code: app,
            iat: NOW - 10,
            exp,
            jti: &jti,
            iss: Some(app),
            extra: &[],
        })
        .0
}

/// A valid token for `sub` (key k1, fresh jti).
fn token(sub: &str) -> String {
    token_with("k1", K1, sub, APP, NOW + 300)
}

/// A token from raw header and payload JSON, signed with `hex`.
fn raw_token(header: &str, payload: &str, hex: &str) -> String {
    let input = format!(
        "{}.{}",
        mmjwt::b64::encode(header.as_bytes()),
        mmjwt::b64::encode(payload.as_bytes())
    );
    let sig = key(hex).sign(input.as_bytes());
    format!("{input}.{}", mmjwt::b64::encode(&sig))
}

#[derive(Debug, Clone)]
pub(crate) enum Auth {
    None,
    App(&'static str),
    Bearer(String),
    Header(String),
}

#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Value,
}

impl Reply {
    #[track_caller]
    pub(crate) fn ok(&self) -> &Value {
        assert_eq!(self.status, 200, "{}", self.body);
        &self.body
    }

    #[track_caller]
    pub(crate) fn refused(&self, status: u16, message_id: &str) {
        assert_eq!(
            (self.status, self.message_id()),
            (status, Some(message_id)),
            "{}",
            self.body
        );
        let text = self.body["requestError"]["serviceException"]["text"]
            .as_str()
            .unwrap_or_default();
        assert!(!text.is_empty(), "every refusal says why: {}", self.body);
    }

    pub(crate) fn message_id(&self) -> Option<&str> {
        self.body["requestError"]["serviceException"]["messageId"].as_str()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Api {
    pub(crate) base: String,
    pub(crate) http: reqwest::Client,
}

impl Api {
    pub(crate) fn new(base: String) -> Api {
        mmjwt::replay::client::install_tls_provider();
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        Api { base, http }
    }

    /// Sends one request; asserts the response is JSON with a Content-Length that matches.
    pub(crate) async fn send(
        &self,
        method: &str,
        path: &str,
        auth: &Auth,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        req = match auth {
            Auth::None => req,
            Auth::App(code) => req.header("Authorization", format!("App {code}")),
            Auth::Bearer(t) => req.header("Authorization", format!("Bearer {t}")),
            Auth::Header(h) => req.header("Authorization", h.as_str()),
        };
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(b.to_owned());
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let ctype = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        let clen = res
            .headers()
            .get("content-length")
            .map(|v| v.to_str().unwrap().parse::<usize>().unwrap());
        let bytes = res.bytes().await.unwrap();
        assert_eq!(ctype.as_deref(), Some("application/json"), "{path}");
        assert_eq!(clen, Some(bytes.len()), "{path}");
        Reply {
            status,
            body: serde_json::from_slice(&bytes).unwrap(),
        }
    }

    pub(crate) async fn fetch(&self, reg: &str, auth: &Auth) -> Reply {
        let path = format!("/mobile/1/appinstance/{reg}/user?ri=true");
        self.send("GET", &path, auth, None, &[]).await
    }

    /// iOS: a real PATCH with `ri=0&rt=0`.
    pub(crate) async fn patch(&self, reg: &str, auth: &Auth, body: &Value) -> Reply {
        let path = format!("/mobile/1/appinstance/{reg}/user?ri=0&rt=0");
        self.send("PATCH", &path, auth, Some(&body.to_string()), &[])
            .await
    }

    /// Android: POST with `X-HTTP-Method-Override: PATCH`.
    pub(crate) async fn patch_android(&self, reg: &str, auth: &Auth, body: &Value) -> Reply {
        let path = format!("/mobile/1/appinstance/{reg}/user");
        self.send(
            "POST",
            &path,
            auth,
            Some(&body.to_string()),
            &[("X-HTTP-Method-Override", "PATCH")],
        )
        .await
    }

    pub(crate) async fn personalize(
        &self,
        reg: &str,
        query: &str,
        auth: &Auth,
        body: &Value,
    ) -> Reply {
        let path = format!("/mobile/1/appinstance/{reg}/personalize{query}");
        self.send("POST", &path, auth, Some(&body.to_string()), &[])
            .await
    }

    pub(crate) async fn depersonalize(&self, reg: &str, auth: &Auth) -> Reply {
        let path = format!("/mobile/1/appinstance/{reg}/depersonalize");
        self.send("POST", &path, auth, None, &[]).await
    }

    async fn repersonalize(&self, reg: &str, auth: &Auth, body: &Value) -> Reply {
        let path = format!("/mobile/1/appinstance/{reg}/repersonalize");
        self.send("POST", &path, auth, Some(&body.to_string()), &[])
            .await
    }
}

async fn start(cfg: Config) -> (Sandbox, Api) {
    let sb = Sandbox::start(cfg, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::new(sb.url());
    (sb, api)
}

pub(crate) fn identity(ext: &str) -> Value {
    json!({"userIdentity": {"externalUserId": ext}})
}

const APP_AUTH: Auth = Auth::App(APP);

// ---------------------------------------------------------------------------------------------
// Modes × calls × authorization kinds

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Fetch,
    PatchIos,
    PatchAndroid,
    Personalize,
    Depersonalize,
    Repersonalize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    App,
    Bearer,
    Missing,
    WrongApp,
    Expired,
}

/// What the sandbox must answer; `None` is 200.
fn expected(mode: Mode, call: Call, kind: Kind) -> Option<(u16, &'static str)> {
    match kind {
        Kind::Missing => return Some((401, "AUTHORIZATION_MISSING")),
        Kind::WrongApp => return Some((401, "1")),
        Kind::Expired => return Some((401, "JWT_TOKEN_EXPIRED")),
        Kind::App | Kind::Bearer => {}
    }
    match mode {
        Mode::Disallow if call != Call::Depersonalize => Some((403, "USER_DATA_RESTRICTED")),
        Mode::JwtOnly
            if kind == Kind::App && matches!(call, Call::Personalize | Call::Repersonalize) =>
        {
            Some((401, "JWT_REQUIRED"))
        }
        _ => None,
    }
}

async fn one_call(api: &Api, call: Call, reg: &str, auth: &Auth, sub: &str) -> Reply {
    let patch = json!({"firstName": "Pat"});
    match call {
        Call::Fetch => api.fetch(reg, auth).await,
        Call::PatchIos => api.patch(reg, auth, &patch).await,
        Call::PatchAndroid => api.patch_android(reg, auth, &patch).await,
        Call::Personalize => api.personalize(reg, "", auth, &identity(sub)).await,
        Call::Depersonalize => api.depersonalize(reg, auth).await,
        Call::Repersonalize => api.repersonalize(reg, auth, &identity(sub)).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mode_call_and_authorization_kind() {
    let calls = [
        Call::Fetch,
        Call::PatchIos,
        Call::PatchAndroid,
        Call::Personalize,
        Call::Depersonalize,
        Call::Repersonalize,
    ];
    let kinds = [
        Kind::App,
        Kind::Bearer,
        Kind::Missing,
        Kind::WrongApp,
        Kind::Expired,
    ];
    let mut checked = 0;
    for mode in [Mode::AllowAll, Mode::JwtOnly, Mode::Disallow] {
        let (_sb, api) = start(config(mode)).await;
        for call in calls {
            for kind in kinds {
                let reg = format!("{call:?}-{kind:?}");
                let sub = format!("user-{reg}");
                // Bearer calls on an existing user need the installation personalized first.
                if kind == Kind::Bearer
                    && mode != Mode::Disallow
                    && matches!(call, Call::Fetch | Call::PatchIos | Call::PatchAndroid)
                {
                    api.personalize(&reg, "", &Auth::Bearer(token(&sub)), &identity(&sub))
                        .await
                        .ok();
                }
                let auth = match kind {
                    Kind::App => APP_AUTH,
                    Kind::Bearer => Auth::Bearer(token(&sub)),
                    Kind::Missing => Auth::None,
                    Kind::WrongApp => Auth::App("wrong-app"),
                    Kind::Expired => Auth::Bearer(token_with("k1", K1, &sub, APP, NOW - 1)),
                };
                let r = one_call(&api, call, &reg, &auth, &sub).await;
                match expected(mode, call, kind) {
                    None => {
                        let body = r.ok();
                        if matches!(call, Call::Personalize | Call::Repersonalize) {
                            assert_eq!(body["externalUserId"], sub.as_str(), "{mode:?} {call:?}");
                        }
                    }
                    Some((status, id)) => r.refused(status, id),
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 3 * 6 * 5);
}

// ---------------------------------------------------------------------------------------------
// Refusals, one by one

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
    // Just under the limit is fine.
    let fits = format!(r#"{{"firstName":"{}"}}"#, "x".repeat(64 * 1024 - 20));
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

// ---------------------------------------------------------------------------------------------
// The data model

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_patch_styles_merge_and_null_deletes() {
    let (_sb, api) = start(config(Mode::AllowAll)).await;
    api.patch(
        "r",
        &APP_AUTH,
        &json!({"firstName": "Darth", "lastName": "Vader", "gender": "Male", "birthday": "1988-07-31",
                "tags": ["music"], "customAttributes": {"number_1": 1234.3, "string_1": "blabla"}}),
    )
    .await
    .ok();
    api.patch_android(
        "r",
        &APP_AUTH,
        &json!({"middleName": "Beloved", "phones": [{"number": "385991111666"}],
                "emails": [{"address": "darth_vader@mail.com"}], "customAttributes": {"date_1": "2018-12-13"}}),
    )
    .await
    .ok();
    let u = api.fetch("r", &APP_AUTH).await;
    assert_eq!(
        u.ok(),
        &json!({
            "firstName": "Darth", "lastName": "Vader", "middleName": "Beloved", "gender": "Male",
            "birthday": "1988-07-31", "type": "LEAD",
            "phones": [{"number": "385991111666", "preferred": false}],
            "emails": [{"address": "darth_vader@mail.com", "preferred": false}],
            "tags": ["music"],
            "customAttributes": {"number_1": 1234.3, "string_1": "blabla", "date_1": "2018-12-13"},
            "instances": [{"pushRegId": "r", "regEnabled": true, "isPrimary": false}]
        })
    );
    // null deletes a field, a custom attribute, or a list.
    api.patch_android(
        "r",
        &APP_AUTH,
        &json!({"lastName": null, "customAttributes": {"string_1": null}, "tags": null}),
    )
    .await
    .ok();
    let u = api.fetch("r", &APP_AUTH).await;
    let u = u.ok();
    assert!(
        u.get("lastName").is_none() && u.get("tags").is_none(),
        "{u}"
    );
    assert_eq!(
        u["customAttributes"],
        json!({"number_1": 1234.3, "date_1": "2018-12-13"})
    );
    api.patch("r", &APP_AUTH, &json!({"customAttributes": null}))
        .await
        .ok();
    assert!(
        api.fetch("r", &APP_AUTH)
            .await
            .ok()
            .get("customAttributes")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_flags_take_both_spellings() {
    let (_sb, api) = start(config(Mode::AllowAll)).await;
    for (q, instances) in [
        ("?ri=true", true),
        ("?ri=1&rt=0", true),
        ("?ri=0", false),
        ("", false),
    ] {
        let path = format!("/mobile/1/appinstance/r/user{q}");
        let r = api.send("GET", &path, &APP_AUTH, None, &[]).await;
        assert_eq!(r.ok().get("instances").is_some(), instances, "{q}");
    }
    // iOS style flags: 1/0; Android style: true/false.
    let u = api
        .personalize(
            "a",
            "?forceDepersonalize=0&keepAsLead=1&setDeviceAsPrimary=1",
            &APP_AUTH,
            &identity("x"),
        )
        .await;
    let u = u.ok();
    assert_eq!(u["type"], "LEAD");
    assert_eq!(u["instances"][0]["isPrimary"], true);
    let u = api
        .personalize(
            "a",
            "?setDeviceAsPrimary=false&keepAsLead=false&forceDepersonalize=false",
            &APP_AUTH,
            &identity("x"),
        )
        .await;
    assert_eq!(u.ok()["type"], "CUSTOMER");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personalize_links_merges_and_depersonalize_unlinks() {
    let (_sb, api) = start(config(Mode::AllowAll)).await;
    // Anonymous data on a phone becomes alice's on personalize.
    api.patch(
        "phone",
        &APP_AUTH,
        &json!({"firstName": "Al", "tags": ["a"]}),
    )
    .await
    .ok();
    let u = api
        .personalize(
            "phone",
            "",
            &APP_AUTH,
            &json!({"userIdentity": {"externalUserId": "alice", "emails": [{"address": "al@x.io"}]},
                    "userAttributes": {"lastName": "Ice"}}),
        )
        .await;
    let u = u.ok();
    assert_eq!(
        (
            &u["externalUserId"],
            &u["firstName"],
            &u["lastName"],
            &u["type"]
        ),
        (
            &json!("alice"),
            &json!("Al"),
            &json!("Ice"),
            &json!("CUSTOMER")
        )
    );
    // A tablet's anonymous person merges into alice: alice keeps her values, gains the rest.
    api.patch(
        "tablet",
        &APP_AUTH,
        &json!({"firstName": "T", "tags": ["b"]}),
    )
    .await
    .ok();
    let u = api
        .personalize(
            "tablet",
            "",
            &APP_AUTH,
            &json!({"userIdentity": {"emails": [{"address": "al@x.io"}]}}),
        )
        .await;
    let u = u.ok();
    assert_eq!(u["externalUserId"], "alice", "found by email");
    assert_eq!(u["firstName"], "Al");
    assert_eq!(u["tags"], json!(["a", "b"]));
    assert_eq!(u["instances"].as_array().unwrap().len(), 2);
    // Depersonalize: the tablet is anonymous again; alice keeps her data and the phone.
    assert_eq!(
        api.depersonalize("tablet", &APP_AUTH).await.ok(),
        &json!({})
    );
    assert_eq!(api.fetch("tablet", &APP_AUTH).await.ok()["type"], "LEAD");
    let u = api.fetch("phone", &APP_AUTH).await;
    assert_eq!(u.ok()["instances"].as_array().unwrap().len(), 1);
    // Android's repersonalize puts it back.
    let u = api
        .repersonalize("tablet", &APP_AUTH, &identity("alice"))
        .await;
    assert_eq!(u.ok()["instances"].as_array().unwrap().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// State

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_survives_a_restart_and_bad_state_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.json");
    let with_state = || {
        let mut c = config(Mode::AllowAll);
        c.state_file = Some(file.clone());
        c
    };
    let (sb, api) = start(with_state()).await;
    api.personalize("r", "", &APP_AUTH, &identity("alice"))
        .await
        .ok();
    api.patch("r", &APP_AUTH, &json!({"customAttributes": {"n": 7}}))
        .await
        .ok();
    // A second sandbox may not share the file.
    let e = Sandbox::start(with_state(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("in use"), "{e}");
    sb.shutdown().await.unwrap();

    let (sb, api) = start(with_state()).await;
    let u = api.fetch("r", &APP_AUTH).await;
    assert_eq!(u.ok()["customAttributes"]["n"], 7);
    assert_eq!(u.ok()["externalUserId"], "alice");
    sb.shutdown().await.unwrap();

    std::fs::write(&file, b"{\"format\": \"something else\"").unwrap();
    let e = Sandbox::start(with_state(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("is not usable"), "{e}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"{\"format\": \"something else\"",
        "never replaced"
    );
}

// ---------------------------------------------------------------------------------------------
// Load

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bounded_concurrent_load_loses_nothing() {
    const REQUESTS: usize = 1000;
    const CONCURRENCY: usize = 16;
    const USERS: usize = 20;
    let (_sb, api) = start(config(Mode::AllowAll)).await;
    let tokens: Vec<String> = (0..USERS).map(|u| token(&format!("u{u}"))).collect();
    for (u, t) in tokens.iter().enumerate() {
        api.personalize(
            &format!("r{u}"),
            "",
            &Auth::Bearer(t.clone()),
            &identity(&format!("u{u}")),
        )
        .await
        .ok();
    }
    let tokens = Arc::new(tokens);
    let next = Arc::new(AtomicUsize::new(0));
    let statuses = Arc::new(Mutex::new(Vec::with_capacity(REQUESTS)));
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (api, tokens, next, statuses) =
            (api.clone(), tokens.clone(), next.clone(), statuses.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= REQUESTS {
                    break;
                }
                let u = (i / 4) % USERS;
                let reg = format!("r{u}");
                let bearer = Auth::Bearer(tokens[u].clone());
                let change = json!({"customAttributes": {format!("k{i}"): i}});
                let r = match i % 4 {
                    0 => api.fetch(&reg, &APP_AUTH).await,
                    1 => api.patch(&reg, &bearer, &change).await,
                    2 => api.patch_android(&reg, &APP_AUTH, &change).await,
                    _ => api.fetch(&reg, &bearer).await,
                };
                statuses.lock().unwrap().push(r.status);
            }
        }));
    }
    for w in workers {
        w.await.unwrap();
    }
    let statuses = std::mem::take(&mut *statuses.lock().unwrap());
    assert_eq!(statuses.len(), REQUESTS);
    assert!(
        statuses.iter().all(|s| *s == 200),
        "every request succeeded"
    );
    // Every acknowledged change is there, with its value.
    let mut found = 0;
    for u in 0..USERS {
        let r = api.fetch(&format!("r{u}"), &APP_AUTH).await;
        for (k, v) in r.ok()["customAttributes"].as_object().unwrap() {
            let i: usize = k[1..].parse().unwrap();
            assert_eq!(((i / 4) % USERS, v.as_u64()), (u, Some(i as u64)));
            found += 1;
        }
    }
    assert_eq!(found, REQUESTS / 2);
}

// ---------------------------------------------------------------------------------------------
// Raw sockets: what a well-behaved client cannot send

use crate::common::raw_exchange;

#[test]
fn sandbox_thread_serves_synchronous_callers_and_enforces_limits() {
    let mut cfg = config(Mode::AllowAll);
    cfg.limits.request_timeout = Duration::from_millis(300);
    let sb = SandboxThread::spawn(cfg).unwrap();
    assert!(sb.url().starts_with("http://127.0.0.1:"));
    let addr = sb.addr();

    let ok = raw_exchange(
        addr,
        b"GET /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: App test-app\r\nConnection: close\r\n\r\n",
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");

    // A chunked body that never says how long it is: cut off at 64 KiB.
    let mut req = b"PATCH /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: App test-app\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..9 {
        req.extend_from_slice(format!("2000\r\n{}\r\n", "a".repeat(0x2000)).as_bytes());
    }
    req.extend_from_slice(b"0\r\n\r\n");
    let r = raw_exchange(addr, &req);
    assert!(r.starts_with("HTTP/1.1 413"), "{r}");
    assert!(r.contains("\"BODY_TOO_LARGE\"") && r.contains("content-type: application/json"));
    assert!(
        r.contains("connection: close"),
        "the unread rest is not waited for: {r}"
    );

    // A body that stops half-way: 408 in the envelope after the request timeout.
    let r = raw_exchange(
        addr,
        b"PATCH /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: App test-app\r\nContent-Length: 20\r\n\r\n{\"a\"",
    );
    assert!(r.starts_with("HTTP/1.1 408"), "{r}");
    assert!(r.contains("\"REQUEST_TIMEOUT\""), "{r}");

    // Oversized header blocks are refused by hyper itself (431, no body).
    let big = format!(
        "GET /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "b".repeat(20 * 1024)
    );
    let r = raw_exchange(addr, big.as_bytes());
    assert!(r.starts_with("HTTP/1.1 431"), "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_the_request_in_flight_and_refuses_new_ones() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let (sb, _api) = start(config(Mode::AllowAll)).await;
    let addr = sb.addr();
    let body = br#"{"firstName":"Last"}"#;
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    // `Expect: 100-continue` makes the server say when the handler starts reading the body, so
    // the request is known to be in flight (head parsed) before the shutdown begins; without
    // it, a shutdown that wins the race closes the connection as idle.
    let head = format!(
        "PATCH /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: App {APP}\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let mut interim = Vec::new();
    while !interim.ends_with(b"\r\n\r\n") {
        assert!(
            interim.len() < 1024,
            "{}",
            String::from_utf8_lossy(&interim)
        );
        let b = tokio::time::timeout(Duration::from_secs(5), conn.read_u8())
            .await
            .unwrap()
            .unwrap();
        interim.push(b);
    }
    assert!(interim.starts_with(b"HTTP/1.1 100"), "{interim:?}");
    conn.write_all(&body[..5]).await.unwrap();

    let stopping = tokio::spawn(sb.shutdown());
    // Once the listener is gone, new connections are refused (bounded wait).
    let deadline = Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(Instant::now() < deadline, "still accepting after shutdown");
        tokio::task::yield_now().await;
    }
    // The request already in progress still completes.
    conn.write_all(&body[5..]).await.unwrap();
    let mut reply = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), conn.read_to_end(&mut reply))
        .await
        .unwrap()
        .unwrap();
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"firstName\":\"Last\""), "{reply}");
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

// ---------------------------------------------------------------------------------------------
// The binary

pub(crate) struct Running {
    pub(crate) child: Child,
    pub(crate) url: String,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Running {
    /// Starts `mmjwt sandbox ARGS` and reads the URL from the first stdout line.
    pub(crate) fn start(args: &[&str], env: &[(&str, &str)]) -> Running {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mmjwt"));
        cmd.arg("sandbox")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("MMJWT_APP_CODE")
            .env_remove("MMJWT_KEY_ID")
            .env_remove("MMJWT_SECRET")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        // stderr is drained on a thread so the log can never fill the pipe and stall the server.
        let mut err = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            s
        });
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first.trim_end().to_owned();
        if !url.starts_with("http://127.0.0.1:") {
            let _ = child.kill();
            let _ = child.wait();
            panic!("no URL; stderr: {}", stderr.join().unwrap());
        }
        Running {
            child,
            url,
            stderr: Some(stderr),
        }
    }

    pub(crate) fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    /// Waits (at most 10 s) for the process to exit; returns its status and stderr.
    pub(crate) fn finish(mut self) -> (ExitStatus, String) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the sandbox did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        (status, self.stderr.take().unwrap().join().unwrap())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn key_flag() -> String {
    format!("k1={K1}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_url_first_log_without_secrets_and_graceful_sigterm() {
    let key_arg = key_flag();
    let run = Running::start(
        &["--app-code", APP, "--key", &key_arg, "--log-format", "json"],
        &[],
    );
    let api = Api::new(run.url.clone());
    // The binary uses the real clock, so the token must be fresh.
    let now = mmjwt::time::now_unix();
    let t = Minter::new("k1", key(K1))
        .mint(&Claims {
            sub: "alice",
            app_code: APP,
            iat: now - 5,
            exp: now + 300,
            jti: "j1",
            iss: None,
            extra: &[],
        })
        .0;
    api.personalize("r", "", &Auth::Bearer(t.clone()), &identity("alice"))
        .await
        .ok();
    api.fetch("r", &Auth::Bearer("bad.token.here".into()))
        .await
        .refused(401, "JWT_TOKEN_STRUCTURE_INVALID");
    run.signal("TERM");
    let (status, stderr) = run.finish();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains(&t), "no token in the log");
    assert!(!stderr.contains(K1), "no secret in the log");
    assert!(!stderr.contains("bad.token.here"));
    let log: Vec<Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(log.len(), 2, "{stderr}");
    assert_eq!(
        (&log[0]["auth"], &log[0]["sub"], &log[0]["status"]),
        (&json!("Bearer"), &json!("alice"), &json!(200))
    );
    assert_eq!(log[1]["messageId"], "JWT_TOKEN_STRUCTURE_INVALID");
    assert!(stderr.contains("SIGTERM"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_state_survives_sigkill_mid_write() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    let file_arg = file.to_str().unwrap().to_owned();
    let key_arg = key_flag();
    let args = [
        "--app-code",
        APP,
        "--key",
        &key_arg,
        "--state",
        &file_arg,
        "--log-format",
        "off",
    ];
    let mut run = Running::start(&args, &[]);
    let api = Api::new(run.url.clone());

    // Four writers save distinct attributes; each acknowledged one is recorded.
    let acked = Arc::new(Mutex::new(Vec::<(usize, usize)>::new()));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (api, acked) = (api.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            for i in 0..200 {
                let body = json!({"customAttributes": {format!("w{w}_{i}"): i}});
                let path = format!("/mobile/1/appinstance/inst{w}/user");
                let res = api
                    .http
                    .patch(format!("{}{path}", api.base))
                    .header("Authorization", "App test-app")
                    .body(body.to_string())
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == 200 => acked.lock().unwrap().push((w, i)),
                    _ => break,
                }
            }
        }));
    }
    // Kill while the writers are busy.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acked.lock().unwrap().len() < 40 && Instant::now() < deadline {
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    run.child.kill().unwrap();
    run.child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 40, "{}", acked.len());

    // The file is whole, and every acknowledged change is in it.
    let run = Running::start(&args, &[]);
    let api = Api::new(run.url.clone());
    for w in 0..4 {
        let r = api.fetch(&format!("inst{w}"), &APP_AUTH).await;
        let attrs = r.ok()["customAttributes"].clone();
        for (_, i) in acked.iter().filter(|(ww, _)| *ww == w) {
            assert_eq!(attrs[format!("w{w}_{i}")], json!(i), "lost w{w}_{i}");
        }
    }
    run.signal("INT");
    let (status, _) = run.finish();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn binary_refuses_an_unreadable_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    std::fs::write(&file, b"{ half a file").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mmjwt"))
        .args([
            "sandbox",
            "--listen",
            "127.0.0.1:0",
            "--app-code",
            "a",
            "--state",
        ])
        .arg(&file)
        .env_remove("MMJWT_KEY_ID")
        .env_remove("MMJWT_SECRET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not usable"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.contains("error:")).count(),
        1,
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no URL when it cannot start");
    assert_eq!(std::fs::read(&file).unwrap(), b"{ half a file");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_without_credentials_generates_and_shows_them_once() {
    let run = Running::start(&["--mode", "jwt-only"], &[]);
    run.signal("TERM");
    let (status, stderr) = run.finish();
    assert_eq!(status.code(), Some(0));
    let get = |name: &str| {
        let lines: Vec<&str> = stderr
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{name}=")))
            .collect();
        assert_eq!(lines.len(), 1, "{name} shown once: {stderr}");
        lines[0].to_owned()
    };
    let (app, kid, secret) = (
        get("MMJWT_APP_CODE"),
        get("MMJWT_KEY_ID"),
        get("MMJWT_SECRET"),
    );
    assert_eq!(Secret::from_hex(&secret).unwrap().len(), 32);
    assert!(!app.is_empty() && kid.starts_with("sandbox-"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_generated_credentials_sign_working_tokens() {
    // MMJWT_KEY_ID + MMJWT_SECRET from the environment, several keys at once with --key.
    let k2 = format!("k2={K2}");
    let run = Running::start(
        &[
            "--mode",
            "jwt-only",
            "--app-code",
            APP,
            "--key",
            &k2,
            "--log-format",
            "off",
        ],
        &[("MMJWT_KEY_ID", "k1"), ("MMJWT_SECRET", K1)],
    );
    let api = Api::new(run.url.clone());
    let now = mmjwt::time::now_unix();
    for (i, (kid, hex)) in [("k1", K1), ("k2", K2)].into_iter().enumerate() {
        let jti = format!("j{i}");
        let t = Minter::new(kid, key(hex))
            .mint(&Claims {
                sub: "alice",
                app_code: APP,
                iat: now - 5,
                exp: now + 300,
                jti: &jti,
                iss: None,
                extra: &[],
            })
            .0;
        api.personalize("r", "", &Auth::Bearer(t), &identity("alice"))
            .await
            .ok();
    }
    run.signal("TERM");
    assert_eq!(run.finish().0.code(), Some(0));
}

#[test]
fn binary_never_echoes_a_malformed_key() {
    let cases: [(&[&str], i32); 4] = [
        (&["--key", "k1=zzS3NT1NELzz"], 1),
        (&["--key", "S3NT1NELWITHOUTEQUALS"], 2),
        (&["--key", "=00ff"], 2),
        (
            &[
                "--key",
                "k1=00ff00ff00ff00ff00ff00ff00ff00ff",
                "--key",
                "k1=00ff00ff00ff00ff00ff00ff00ff00ff",
            ],
            2,
        ),
    ];
    for (args, code) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_mmjwt"))
            .args(["sandbox", "--listen", "127.0.0.1:0", "--app-code", "a"])
            .args(args)
            .env_remove("MMJWT_KEY_ID")
            .env_remove("MMJWT_SECRET")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(
            !err.contains("S3NT1NEL") && !err.contains("00ff00ff"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
    // A secret without a key id is a usage error too, and is not echoed either.
    let out = Command::new(env!("CARGO_BIN_EXE_mmjwt"))
        .args([
            "sandbox",
            "--listen",
            "127.0.0.1:0",
            "--secret",
            "00ff00ff00ff00ff",
        ])
        .env_remove("MMJWT_KEY_ID")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("00ff00ff"));
}

#[test]
fn default_logs_are_text_and_config_defaults_are_quiet() {
    let c = Config::new(Mode::JwtOnly, "x");
    assert_eq!(c.log, LogFormat::Off);
    assert!(c.keys.is_empty() && c.state_file.is_none() && !c.strict_installations);
    assert_eq!(c.clock, Clock::System);
}
