//! `mmjwt replay` against servers in this process on 127.0.0.1:0: a capturing HTTP server
//! (records method, path, query, headers and body; answers as each test programs it) and raw
//! TCP servers for the failure shapes (silence, a cut-short body).

#![allow(clippy::unwrap_used, unreachable_pub)]

use assert_cmd::Command;
use mmjwt::secret::Secret;
use mmjwt::token::mint::{Claims, Minter};
use serde_json::{Value, json};
use std::io::{Read as _, Write as _};
use std::time::Duration;

const APP: &str = "test-app-code";
/// First 10 hex digits of SHA-256("test-app-code").
const APP_HASH: &str = "03936b895e";
const KID: &str = "test-key-id";
const SECRET: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

mod server {
    use axum::body::Body;
    use axum::extract::{Request, State};
    use axum::response::Response;
    use std::sync::{Arc, Mutex};

    /// One request as the server saw it.
    #[derive(Debug, Clone)]
    pub struct Hit {
        pub method: String,
        pub path: String,
        pub query: Option<String>,
        /// Lowercase names, in received order.
        pub headers: Vec<(String, String)>,
        pub body: String,
    }

    impl Hit {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }

        /// The headers without `host` (its port varies), sorted.
        pub fn headers_sorted(&self) -> Vec<(String, String)> {
            let mut h: Vec<_> = self
                .headers
                .iter()
                .filter(|(n, _)| n != "host")
                .cloned()
                .collect();
            h.sort();
            h
        }
    }

    /// What the server answers.
    #[derive(Debug, Clone)]
    pub struct Reply {
        pub status: u16,
        pub headers: Vec<(&'static str, String)>,
        pub body: String,
    }

    impl Reply {
        pub fn json(status: u16, body: &str) -> Reply {
            Reply {
                status,
                headers: vec![("content-type", "application/json".into())],
                body: body.into(),
            }
        }
    }

    type Responder = Arc<dyn Fn(&Hit) -> Reply + Send + Sync>;

    #[derive(Clone)]
    struct St {
        hits: Arc<Mutex<Vec<Hit>>>,
        respond: Responder,
    }

    /// A capturing server on its own thread and runtime; stopped on drop.
    pub struct Server {
        pub url: String,
        hits: Arc<Mutex<Vec<Hit>>>,
        stop: Option<tokio::sync::oneshot::Sender<()>>,
        thread: Option<std::thread::JoinHandle<()>>,
    }

    impl Server {
        pub fn start(respond: impl Fn(&Hit) -> Reply + Send + Sync + 'static) -> Server {
            let hits = Arc::new(Mutex::new(Vec::new()));
            let st = St {
                hits: Arc::clone(&hits),
                respond: Arc::new(respond),
            };
            let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
            let (addr_tx, addr_rx) = std::sync::mpsc::channel();
            let thread = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                    addr_tx.send(listener.local_addr().unwrap()).unwrap();
                    let app = axum::Router::new().fallback(handle).with_state(st);
                    axum::serve(listener, app)
                        .with_graceful_shutdown(async {
                            let _ = stop_rx.await;
                        })
                        .await
                        .unwrap();
                });
            });
            let addr = addr_rx.recv().unwrap();
            Server {
                url: format!("http://{addr}"),
                hits,
                stop: Some(stop_tx),
                thread: Some(thread),
            }
        }

        /// Answers every request with `200` and a small user.
        pub fn ok() -> Server {
            Server::start(|_| Reply::json(200, r#"{"externalUserId":"alice","type":"CUSTOMER"}"#))
        }

        pub fn hits(&self) -> Vec<Hit> {
            self.hits.lock().unwrap().clone()
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            if let Some(s) = self.stop.take() {
                let _ = s.send(());
            }
            if let Some(t) = self.thread.take() {
                let _ = t.join();
            }
        }
    }

    async fn handle(State(st): State<St>, req: Request) -> Response {
        let (parts, body) = req.into_parts();
        let body = axum::body::to_bytes(body, 1 << 20)
            .await
            .unwrap_or_default();
        let hit = Hit {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().map(str::to_string),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        let reply = (st.respond)(&hit);
        st.hits.lock().unwrap().push(hit);
        let mut b = Response::builder().status(reply.status);
        for (n, v) in reply.headers {
            b = b.header(n, v);
        }
        b.body(Body::from(reply.body)).unwrap()
    }
}

use server::{Reply, Server};

/// A TCP server that accepts one connection, reads the request head, writes `answer` (if any)
/// and then holds the connection until `hold` has passed or it is dropped.
struct RawServer {
    url: String,
    done: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RawServer {
    fn start(answer: Option<&'static [u8]>, hold: Duration) -> RawServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let Ok((mut sock, _)) = listener.accept() else {
                return;
            };
            sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65_536 {
                match sock.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            if let Some(a) = answer {
                let _ = sock.write_all(a);
                let _ = sock.flush();
            }
            // Bounded: released by the test's drop or after `hold`.
            let _ = done_rx.recv_timeout(hold);
        });
        RawServer {
            url,
            done: Some(done_tx),
            thread: Some(thread),
        }
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        if let Some(d) = self.done.take() {
            let _ = d.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The binary with a clean environment plus the test credentials, base URL and registration.
fn replay(url: &str) -> Command {
    let mut c = crate::common::mmjwt();
    c.env("MMJWT_APP_CODE", APP)
        .env("MMJWT_KEY_ID", KID)
        .env("MMJWT_SECRET", SECRET)
        .env("MMJWT_BASE_URL", url)
        .env("MMJWT_PUSH_REG_ID", "reg-1")
        .timeout(Duration::from_secs(30));
    c.arg("replay");
    c
}

/// `replay personalize --user-id USER --token TOKEN` plus `extra`, against `url`.
fn personalize_with_token(url: &str, user: &str, token: &str, extra: &[&str]) -> Command {
    let mut c = replay(url);
    c.args(["personalize", "--user-id", user, "--token", token])
        .args(extra);
    c
}

fn key() -> mmjwt::secret::HmacKey {
    Secret::from_hex(SECRET).unwrap().hmac_key()
}

/// A signed token for `sub` that expires at `exp`.
fn token(sub: &str, exp: i64) -> String {
    Minter::new(KID, key())
        .mint(&Claims {
            sub,
            app_code: APP,
            iat: 1_700_000_000,
            exp,
            jti: "00000000-0000-4000-8000-000000000001",
            iss: Some(APP),
            extra: &[],
        })
        .0
}

/// Valid until 2100.
fn good_token(sub: &str) -> String {
    token(sub, 4_102_444_800)
}

fn android_ua() -> String {
    format!(
        "Infobip Mobile API Client/15.1.0(Android;14;arm64-v8a;mmjwt-replay;mmjwt;mmjwt;{};mmjwt-replay;;;;;;)",
        env!("CARGO_PKG_VERSION")
    )
}

fn ios_ua() -> String {
    format!(
        "MobileMessaging/15.5.2(iOS;17.5;;mmjwt-replay;;org.mmjwt.replay;{};mmjwt-replay;;;)",
        env!("CARGO_PKG_VERSION")
    )
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = list
        .iter()
        .map(|(n, v)| ((*n).to_string(), (*v).to_string()))
        .collect();
    v.sort();
    v
}

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
            body: r#"{"birthday":null,"lastName":"O\u0027Neil","firstName":"\u003cb\u003eA\u0026B\u003c/b\u003e","customAttributes":{"level":3,"vip":null,"url":"https://x.y/z"}}"#,
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
        out.starts_with("curl --silent --show-error \\\n  --max-time 10 \\\n  '"),
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

#[test]
fn exit_codes_follow_the_status_class() {
    for (status, code) in [
        (200u16, 0),
        (204, 0),
        (301, 3),
        (404, 4),
        (429, 4),
        (500, 5),
        (503, 5),
    ] {
        let srv = Server::start(move |_| Reply::json(status, ""));
        replay(&srv.url)
            .args(["fetch-user", "--user-id", "alice"])
            .assert()
            .code(code);
        assert_eq!(srv.hits().len(), 1, "{status}");
    }
}

#[test]
fn a_redirect_to_another_host_is_reported_not_followed() {
    let elsewhere = Server::ok();
    let location = format!("{}/stolen", elsewhere.url);
    let srv = Server::start(move |_| Reply {
        status: 302,
        headers: vec![("location", location.clone())],
        body: String::new(),
    });
    let a = replay(&srv.url)
        .args(["fetch-user", "--user-id", "alice"])
        .assert()
        .code(3);
    assert!(stdout(&a).starts_with("HTTP/1.1 302 Found\n"));
    assert_eq!(srv.hits().len(), 1);
    assert_eq!(
        elsewhere.hits().len(),
        0,
        "the credential must not follow a redirect"
    );
}

#[test]
fn a_server_that_never_answers_times_out_with_exit_6() {
    let silent = RawServer::start(None, Duration::from_secs(20));
    let a = replay(&silent.url)
        .args([
            "fetch-user",
            "--user-id",
            "alice",
            "--timeout",
            "300ms",
            "--json",
        ])
        .assert()
        .code(6);
    let host = silent.url.trim_start_matches("http://");
    let err = stderr(&a);
    assert!(
        err.contains(&format!("no answer from {host} within 300ms")),
        "{err}"
    );
    let v: Value = serde_json::from_str(stdout(&a).trim()).unwrap();
    assert_eq!(v["error"]["kind"], "timeout");
    assert_eq!(v["response"], Value::Null);
}

#[test]
fn connection_refused_is_exit_6_naming_the_host_not_the_token() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let tok = good_token("alice");
    let a = replay(&format!("http://127.0.0.1:{port}"))
        .args(["fetch-user", "--token", &tok, "--show-secrets"])
        .assert()
        .code(6);
    let err = stderr(&a);
    assert!(
        err.contains(&format!(
            "mmjwt: error: cannot connect to 127.0.0.1:{port}: connection refused"
        )),
        "{err}"
    );
    assert!(!err.contains(&tok) && !stdout(&a).contains(&tok));
}

#[test]
fn https_to_a_plain_http_server_is_a_tls_failure() {
    let srv = Server::ok();
    let url = srv.url.replace("http://", "https://");
    let a = replay(&url)
        .args(["fetch-user", "--user-id", "alice", "--json"])
        .assert()
        .code(6);
    let v: Value = serde_json::from_str(stdout(&a).trim()).unwrap();
    assert_eq!(v["error"]["kind"], "tls");
    let host = srv.url.trim_start_matches("http://");
    assert!(
        stderr(&a).contains(&format!("TLS with {host} failed")),
        "{}",
        stderr(&a)
    );
    assert_eq!(srv.hits().len(), 0);
}

#[test]
fn a_cut_short_body_is_reported_not_a_crash() {
    let raw = RawServer::start(
        Some(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"externalUserId\":"),
        Duration::ZERO,
    );
    let a = replay(&raw.url)
        .args(["fetch-user", "--user-id", "alice"])
        .assert()
        .code(6);
    assert_eq!(stdout(&a), "HTTP/1.1 200 OK\n{\"externalUserId\":\n");
    let err = stderr(&a);
    assert!(err.contains("was cut short after 18 bytes"), "{err}");
}

#[test]
fn a_non_json_body_is_shown_as_text() {
    let srv = Server::start(|_| Reply {
        status: 200,
        headers: vec![("content-type", "text/html".into())],
        body: "<html>maintenance</html>".into(),
    });
    let a = replay(&srv.url)
        .args(["fetch-user", "--user-id", "alice"])
        .assert()
        .success();
    assert_eq!(stdout(&a), "HTTP/1.1 200 OK\n<html>maintenance</html>\n");
    assert!(stderr(&a).contains("is not JSON"));
    let a = replay(&srv.url)
        .args(["fetch-user", "--user-id", "alice", "--json"])
        .assert()
        .success();
    let v: Value = serde_json::from_str(stdout(&a).trim()).unwrap();
    assert_eq!(v["response"]["body"], "<html>maintenance</html>");
    assert_eq!(v["response"]["body_is_json"], false);
}

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
         Host: {host}\n\
         Authorization: Bearer <redacted: kid=test-key-id, {len} bytes>\n\
         foreground: true\n\
         installationid: inst-1\n\
         pushregistrationid: reg-1\n\
         applicationcode: {APP_HASH}\n\
         Accept: application/json\n\
         User-Agent: {ua}\n\
         Content-Type: application/json\n\
         Content-Length: 43\n\
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

/// Answers 401 with an envelope for ids ending in 7, 503 for ids ending in 99, else 200.
fn judging_server() -> Server {
    Server::start(|hit| {
        let body: Value = serde_json::from_str(&hit.body).unwrap_or(Value::Null);
        let id = body["userIdentity"]["externalUserId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if id.ends_with('7') {
            Reply::json(
                401,
                r#"{"requestError":{"serviceException":{"messageId":"SUB_MISMATCH","text":"no"}}}"#,
            )
        } else if id.ends_with("99") {
            Reply::json(503, "")
        } else {
            Reply::json(200, &format!(r#"{{"externalUserId":"{id}"}}"#))
        }
    })
}

#[test]
fn a_batch_of_300_users_is_summarised() {
    let srv = judging_server();
    let users: String = (0..300).map(|i| format!("user-{i:03}\n")).collect();
    let a = replay(&srv.url)
        .args([
            "personalize",
            "--users",
            "-",
            "--concurrency",
            "16",
            "--json",
        ])
        .write_stdin(users)
        .assert()
        .code(5);
    assert_eq!(
        stderr(&a),
        "",
        "no progress bar or noise when stderr is not a terminal"
    );
    let out = stdout(&a);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 301);
    let summary = &lines[300]["summary"];
    assert_eq!(summary["calls"], 300);
    assert_eq!(summary["sent"], 300);
    assert_eq!(
        summary["by_status"],
        json!({"200": 267, "401": 30, "503": 3})
    );
    assert_eq!(summary["by_message_id"], json!({"SUB_MISMATCH": 30}));
    assert_eq!(summary["network_errors"], json!({}));
    assert_eq!(summary["concurrency"], 16);
    assert_eq!(summary["exit_code"], 5);
    for k in ["p50", "p95", "p99"] {
        assert!(summary["latency_ms"][k].is_number(), "{k}");
    }
    // One line per user, each for that user, with the status the server gave.
    let mut seen: Vec<String> = lines[..300]
        .iter()
        .map(|l| {
            let user = l["user_id"].as_str().unwrap().to_string();
            assert_eq!(
                l["request"]["body"]["userIdentity"]["externalUserId"],
                user.as_str()
            );
            let want = if user.ends_with('7') {
                4
            } else if user.ends_with("99") {
                5
            } else {
                0
            };
            assert_eq!(l["exit_code"], want, "{user}");
            user
        })
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 300);
    // Every request carried its own token: sub = the user, distinct jti.
    let hits = srv.hits();
    assert_eq!(hits.len(), 300);
    let mut jtis = std::collections::HashSet::new();
    let k = key();
    for h in &hits {
        let tok = h
            .header("authorization")
            .unwrap()
            .strip_prefix("Bearer ")
            .unwrap();
        let body: Value = serde_json::from_str(&h.body).unwrap();
        let user = body["userIdentity"]["externalUserId"].as_str().unwrap();
        let report = mmjwt::token::check::check(
            tok,
            &mmjwt::token::check::Options {
                keys: mmjwt::token::check::Keys::Single(&k),
                expect: mmjwt::token::check::Expectations {
                    sub: Some(user),
                    ..Default::default()
                },
                ..mmjwt::token::check::Options::at(mmjwt::time::now_unix())
            },
        );
        assert!(report.valid(), "{user}: {:?}", report.problems);
        let jti = report.claims.as_ref().unwrap()["jti"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(jtis.insert(jti));
    }
}

#[test]
fn a_batch_in_text_mode_prints_a_line_per_user_and_a_summary() {
    let srv = judging_server();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ids.txt");
    std::fs::write(&f, "u-1\n\nu-7\r\nu-3\n").unwrap();
    let a = replay(&srv.url)
        .args(["personalize", "--sdk", "ios", "--users"])
        .arg(&f)
        .assert()
        .code(4);
    let out = stdout(&a);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("line ")).count(),
        3,
        "{out}"
    );
    assert!(
        out.contains("line 3\tu-7\t401 Unauthorized  SUB_MISMATCH  "),
        "{out}"
    );
    assert!(out.contains("line 1\tu-1\t200 OK  "), "{out}");
    assert!(out.contains("summary: 3 calls, 3 sent in "), "{out}");
    assert!(out.contains("  status:     200 × 2, 401 × 1\n"), "{out}");
    assert!(out.contains("  messageId:  SUB_MISMATCH × 1\n"), "{out}");
    assert!(out.contains("  latency:    p50 "), "{out}");
}

#[test]
fn a_batch_keeps_going_past_failures() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let a = replay(&format!("http://127.0.0.1:{port}"))
        .args(["fetch-user", "--users", "-", "--json"])
        .write_stdin("a\nb\nc\n")
        .assert()
        .code(6);
    let out = stdout(&a);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[3]["summary"]["network_errors"], json!({"refused": 3}));
    assert_eq!(lines[3]["summary"]["sent"], 3);

    // Expired tokens: refused by the preflight, all of them, none sent.
    let srv = Server::ok();
    let a = replay(&srv.url)
        .args(["fetch-user", "--users", "-", "--ttl", "0", "--json"])
        .write_stdin("a\nb\n")
        .assert()
        .code(11);
    let last: Value = serde_json::from_str(stdout(&a).lines().last().unwrap()).unwrap();
    assert_eq!(
        last["summary"]["preflight_refused"],
        json!({"JWT_TOKEN_EXPIRED": 2})
    );
    assert_eq!(last["summary"]["sent"], 0);
    assert_eq!(srv.hits().len(), 0);
}

/// The README's main job: nothing configured, no base URL.
#[test]
fn personalize_with_nothing_configured_uses_the_embedded_sandbox() {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("mmjwt");
    for v in [
        "MMJWT_SECRET",
        "MMJWT_APP_CODE",
        "MMJWT_KEY_ID",
        "MMJWT_BASE_URL",
        "MMJWT_PUSH_REG_ID",
    ] {
        c.env_remove(v);
    }
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
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("mmjwt");
    for v in [
        "MMJWT_SECRET",
        "MMJWT_APP_CODE",
        "MMJWT_KEY_ID",
        "MMJWT_BASE_URL",
        "MMJWT_PUSH_REG_ID",
    ] {
        c.env_remove(v);
    }
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
