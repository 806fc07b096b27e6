//! The debugger page's HTTP surface: security headers, the Host, Origin and Content-Type
//! rules, limits, the API answering byte for byte what the command line prints, the live log
//! carrying no secret, `--no-ui`, and `mmjwt ui` itself. Everything on 127.0.0.1, port 0.

use crate::support::page_api;
use crate::support::sandbox_process::Running;
use crate::support::{REFERENCE_TOKEN, SECRET_HEX, mmjwt, raw_exchange, test_key};
use mmjwt::sandbox::{Config, Mode, Sandbox};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;

const APP: &str = "test-app-code";
const KID: &str = "test-key-id";
const NOW: i64 = 1_700_000_030;

async fn start(ui: bool) -> Sandbox {
    let mut c = Config::new(Mode::JwtOnly, APP).with_key(KID, test_key());
    if ui {
        c.extension = Some(mmjwt::ui::routes);
    }
    // Long enough that a stop held by an open stream would show.
    c.limits.shutdown_grace = Duration::from_mins(1);
    Sandbox::start(c, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap()
}

fn client() -> reqwest::Client {
    crate::support::http_client()
}

/// POSTs `body` as JSON to the API; status and body text.
async fn api(sb: &Sandbox, path: &str, body: &Value) -> (u16, String) {
    page_api::post_text(sb, path, "application/json", None, &body.to_string()).await
}

fn assert_secure(h: &reqwest::header::HeaderMap, what: &str) {
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{what}: {csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["referrer-policy"], "no-referrer", "{what}");
    assert_eq!(h["cache-control"], "no-store", "{what}");
    for (name, _) in h {
        assert!(
            !name.as_str().starts_with("access-control-"),
            "{what}: no CORS header is ever sent ({name})"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_files_and_api_carry_the_security_headers_and_no_cors() {
    let sb = start(true).await;
    let http = client();
    let page = http
        .get(format!("{}/", sb.url()))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert_secure(page.headers(), "page");
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<script src="/_mmjwt/app.js" defer></script>"#));
    assert!(
        !html.contains("<script>") && !html.contains(" onclick="),
        "no inline script"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing from elsewhere"
    );
    for (path, kind) in [
        ("app.js", "text/javascript; charset=utf-8"),
        ("app.css", "text/css; charset=utf-8"),
        ("icon.svg", "image/svg+xml"),
    ] {
        let r = http
            .get(format!("{}/_mmjwt/{path}", sb.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["content-type"], kind, "{path}");
        assert_secure(r.headers(), path);
    }
    let js = http
        .get(format!("{}/_mmjwt/app.js", sb.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for forbidden in [
        "localStorage",
        "sessionStorage",
        "document.cookie",
        "innerHTML",
        "eval(",
    ] {
        assert!(!js.contains(forbidden), "app.js uses {forbidden}");
    }
    let state = http
        .get(format!("{}/_mmjwt/api/state", sb.url()))
        .send()
        .await
        .unwrap();
    assert_secure(state.headers(), "state");
    let (status, _) = api(&sb, "check", &json!({"token": "x"})).await;
    assert_eq!(status, 200);
    // A CORS preflight from another origin: refused, and still no CORS header.
    let pre = http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/_mmjwt/api/check", sb.url()),
        )
        .header("origin", "http://evil.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status(), 403);
    assert_secure(pre.headers(), "preflight");
    sb.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn root_without_a_browser_accept_is_still_the_json_404() {
    let sb = start(true).await;
    let r = client()
        .get(format!("{}/", sb.url()))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(
        v["requestError"]["serviceException"]["messageId"],
        "NOT_FOUND"
    );
    sb.shutdown().await.unwrap();
}

fn raw(addr: SocketAddr, request: &str) -> String {
    raw_exchange(addr, request.as_bytes())
}

/// One header of a raw answer (the servers write names in lower case).
fn raw_header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    let head = answer.split("\r\n\r\n").next().unwrap_or_default();
    head.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
}

/// HEAD is GET without the body; a method a path does not take is 405 naming the path's methods
/// in `Allow`, after the guard (whose refusals of such requests name them too); a path under
/// the prefix that is not a page is the sandbox's JSON 404, without the guard's headers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn methods_heads_and_unknown_paths() {
    let sb = start(true).await;
    let addr = sb.addr();
    let host = format!("127.0.0.1:{}", addr.port());
    let ask = |method: &str, path: &str, extra: &str| {
        raw(
            addr,
            &format!(
                "{method} {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/html\r\n{extra}Connection: close\r\n\r\n"
            ),
        )
    };
    for path in ["/", "/_mmjwt/app.js", "/_mmjwt/api/state"] {
        let get = ask("GET", path, "");
        let head = ask("HEAD", path, "");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.ends_with("\r\n\r\n"), "no body: {head}");
        let length = raw_header(&head, "content-length");
        assert_eq!(length, raw_header(&get, "content-length"), "{path}");
        let body = get.split_once("\r\n\r\n").unwrap().1;
        assert_eq!(length, Some(body.len().to_string().as_str()), "{path}");
        assert!(
            raw_header(&head, "content-security-policy").is_some(),
            "{head}"
        );
        assert_eq!(raw_header(&head, "allow"), None, "{head}");
    }
    for (method, path, allow) in [
        ("DELETE", "/", "GET,HEAD"),
        ("POST", "/_mmjwt/app.css", "GET,HEAD"),
        ("PUT", "/_mmjwt/api/events", "GET,HEAD"),
        ("PUT", "/_mmjwt/api/check", "POST"),
        ("GET", "/_mmjwt/api/gen", "POST"),
    ] {
        let r = ask(method, path, "Content-Length: 0\r\n");
        assert!(r.starts_with("HTTP/1.1 405"), "{method} {path}: {r}");
        assert!(r.contains(r#""kind":"method""#), "{r}");
        assert_eq!(raw_header(&r, "allow"), Some(allow), "{method} {path}");
        assert!(raw_header(&r, "content-security-policy").is_some(), "{r}");
    }
    // The guard answers first; its refusal still names the path's methods.
    let r = ask(
        "OPTIONS",
        "/_mmjwt/api/check",
        "Origin: http://evil.example\r\nAccess-Control-Request-Method: POST\r\n",
    );
    assert!(r.starts_with("HTTP/1.1 403"), "{r}");
    assert_eq!(raw_header(&r, "allow"), Some("POST"), "{r}");
    let r = ask(
        "POST",
        "/_mmjwt/api/state",
        "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}",
    );
    assert!(r.starts_with("HTTP/1.1 415"), "{r}");
    assert_eq!(raw_header(&r, "allow"), Some("GET,HEAD"), "{r}");
    // A good request to a page names no methods.
    let r = ask("GET", "/_mmjwt/icon.svg", "");
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    assert_eq!(raw_header(&r, "allow"), None, "{r}");
    for path in ["/_mmjwt/nope", "/_mmjwt/app.js/", "/_mmjwt/api/", "/_mmjwt"] {
        let r = ask("GET", path, "");
        assert!(r.starts_with("HTTP/1.1 404"), "{path}: {r}");
        assert!(r.contains(r#""NOT_FOUND""#), "{r}");
        assert_eq!(raw_header(&r, "content-security-policy"), None, "{path}");
    }
    sb.shutdown().await.unwrap();
}

/// The live log on the wire: a chunked `text/event-stream` whose events are `data: ` and the
/// JSON log object, ended by a blank line (the stream's own request is its first event).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_log_is_a_chunked_event_stream() {
    use std::io::{Read as _, Write as _};
    let sb = start(true).await;
    let addr = sb.addr();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET /_mmjwt/api/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        addr.port()
    )
    .unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("}\n\n") {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "{}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buf[..n]);
    }
    let seen = String::from_utf8(seen).unwrap();
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    assert_eq!(raw_header(&seen, "content-type"), Some("text/event-stream"));
    assert_eq!(raw_header(&seen, "transfer-encoding"), Some("chunked"));
    assert_eq!(raw_header(&seen, "content-length"), None);
    let body = seen.split_once("\r\n\r\n").unwrap().1;
    // One chunk: its size in hex, then the event.
    let (size, event) = body.split_once("\r\n").unwrap();
    let event = event.strip_suffix("\r\n").unwrap_or(event);
    assert_eq!(
        usize::from_str_radix(size, 16).unwrap(),
        event.len(),
        "{body}"
    );
    let json = event
        .strip_prefix("data: ")
        .and_then(|e| e.strip_suffix("\n\n"))
        .expect("data: and a blank line");
    let line: Value = serde_json::from_str(json).unwrap();
    assert_eq!(line["path"], "/_mmjwt/api/events");
    assert_eq!(line["status"], 200);
    drop(s);
    sb.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_host_gets_421_on_the_page_and_the_api() {
    let sb = start(true).await;
    let addr = sb.addr();
    let port = addr.port();
    let mobile_api = format!(
        "GET /mobile/1/appinstance/r1/user HTTP/1.1\r\nHost: evil.example:{port}\r\nAuthorization: App {APP}\r\nConnection: close\r\n\r\n"
    );
    for (host, want) in [
        (format!("evil.example:{port}"), "421"),
        (format!("127.0.0.1.nip.io:{port}"), "421"),
        ("127.0.0.1:1".to_string(), "421"),
        (format!("127.0.0.1:{port}"), "200"),
        (format!("localhost:{port}"), "200"),
    ] {
        for path in ["/", "/_mmjwt/api/state", "/_mmjwt/app.js"] {
            let answer = raw(
                addr,
                &format!(
                    "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/html\r\nConnection: close\r\n\r\n"
                ),
            );
            assert!(
                answer.starts_with(&format!("HTTP/1.1 {want}")),
                "{host} {path}: {answer}"
            );
            if want == "421" {
                assert!(answer.contains(r#""kind":"host""#), "{answer}");
                assert!(answer.contains("content-security-policy"), "{answer}");
            }
        }
    }
    let answer = raw(
        addr,
        "GET / HTTP/1.1\r\nAccept: text/html\r\nConnection: close\r\n\r\n",
    );
    assert!(
        answer.starts_with("HTTP/1.1 400") || answer.starts_with("HTTP/1.1 421"),
        "no Host: {answer}"
    );
    // The Mobile API routes are unchanged: they do not look at Host.
    assert!(raw(addr, &mobile_api).starts_with("HTTP/1.1 200"));
    sb.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_origins_get_403_and_api_posts_must_be_json() {
    let sb = start(true).await;
    let http = client();
    let check = format!("{}/_mmjwt/api/check", sb.url());
    let body = json!({"token": REFERENCE_TOKEN}).to_string();
    let own = format!("http://127.0.0.1:{}", sb.addr().port());
    for (origin, want) in [
        ("http://evil.example", 403),
        ("null", 403),
        ("http://localhost:1", 403),
        (own.as_str(), 200),
    ] {
        let r = http
            .post(&check)
            .header("content-type", "application/json")
            .header("origin", origin)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), want, "{origin}");
        if want == 403 {
            let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
            assert_eq!(v["error"]["kind"], "origin");
        }
    }
    let r = http
        .get(format!("{}/_mmjwt/api/state", sb.url()))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "reading the state from elsewhere");
    let r = http
        .get(format!("{}/_mmjwt/api/events", sb.url()))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "following the log from another site");
    // The simple requests a foreign page can send without a preflight are not JSON: 415.
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let r = http
            .post(&check)
            .header("content-type", ct)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 415, "{ct}");
        assert_eq!(
            r.text().await.unwrap(),
            r#"{"error":{"kind":"content-type","message":"the API takes JSON: send Content-Type: application/json"}}"#
        );
    }
    let r = http.post(&check).body(body.clone()).send().await.unwrap();
    assert_eq!(r.status(), 415, "no content type");
    sb.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_get_one_clear_error_that_quotes_no_value() {
    let sb = start(true).await;
    let big = json!({"token": "a".repeat(70 * 1024)});
    let (status, text) = api(&sb, "check", &big).await;
    assert_eq!(status, 413, "{text}");
    for (path, body, kind, says) in [
        (
            "check",
            json!({"tokn": "x"}),
            "usage",
            "unknown field `tokn`",
        ),
        (
            "check",
            json!({"secret": "x"}),
            "usage",
            "missing field `token`",
        ),
        (
            "check",
            json!({"token": "x", "secret": "zz-not-hex-SECRETVALUE"}),
            "secret",
            "malformed secret",
        ),
        (
            "check",
            json!({"token": "x", "user_id": 12_345_678}),
            "usage",
            "wrong type",
        ),
        (
            "check",
            json!({"token": "x", "now": "yesterday-ish"}),
            "usage",
            "now:",
        ),
        ("gen", json!({"user_id": ""}), "usage", "user id is empty"),
        (
            "gen",
            json!({"user_id": "a", "claims": {"sub": "b"}}),
            "usage",
            "cannot set sub",
        ),
        (
            "gen",
            json!({"user_id": "a", "key_id": "other"}),
            "usage",
            "not one of the sandbox's keys",
        ),
        ("gen", json!({"user_id": "a", "ttl": "-5m"}), "usage", "ttl"),
        (
            "gen",
            json!({"user_id": "a", "break": "SECRETVALUE"}),
            "usage",
            "break must be one of expired, structure, signature, user, app-code, kid",
        ),
        (
            "replay",
            json!({"call": "delete", "sdk": "ios", "token": "x"}),
            "usage",
            "call must be",
        ),
        (
            "replay",
            json!({"call": "fetch-user", "sdk": "ios"}),
            "usage",
            "no token",
        ),
        (
            "replay",
            json!({"call": "patch-user", "sdk": "ios", "token": "a.b.c"}),
            "usage",
            "needs data",
        ),
    ] {
        let (status, text) = api(&sb, path, &body).await;
        assert_eq!(status, 400, "{path} {body}: {text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["error"]["kind"], kind, "{text}");
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(msg.contains(says), "{path} {body}: {msg}");
        assert!(
            !msg.contains("SECRETVALUE") && !msg.contains("12345678"),
            "{msg}"
        );
    }
    let r = client()
        .post(format!("{}/_mmjwt/api/check", sb.url()))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    sb.shutdown().await.unwrap();
}

/// `mmjwt check --json --now NOW ARGS TOKEN` (secret from the environment when given).
fn cli_check(token: &str, secret: Option<&str>, args: &[&str]) -> String {
    let mut c = mmjwt();
    c.args(["check", "--json", "--now", &NOW.to_string()]);
    c.args(args).arg(token);
    if let Some(s) = secret {
        c.env("MMJWT_SECRET", s);
    }
    let out = c.output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_answers_byte_for_byte_what_check_json_prints() {
    let sb = start(true).await;
    let wrong = "ff".repeat(32);
    let cases: Vec<(Value, Option<&str>, Vec<&str>, &str)> = vec![
        (
            json!({"token": REFERENCE_TOKEN}),
            None,
            vec![],
            REFERENCE_TOKEN,
        ),
        (
            json!({"token": REFERENCE_TOKEN, "secret": SECRET_HEX}),
            Some(SECRET_HEX),
            vec![],
            REFERENCE_TOKEN,
        ),
        (
            json!({"token": REFERENCE_TOKEN, "secret": wrong}),
            Some(&wrong),
            vec![],
            REFERENCE_TOKEN,
        ),
        (
            json!({"token": REFERENCE_TOKEN, "secret": SECRET_HEX, "user_id": "bob", "app_code": "other", "key_id": "k9"}),
            Some(SECRET_HEX),
            vec!["--user-id", "bob", "--app-code", "other", "--key-id", "k9"],
            REFERENCE_TOKEN,
        ),
        (
            json!({"token": REFERENCE_TOKEN, "leeway": "2m"}),
            None,
            vec!["--leeway", "2m"],
            REFERENCE_TOKEN,
        ),
        (json!({"token": "not a token"}), None, vec![], "not a token"),
    ];
    for (body, secret, args, token) in cases {
        let mut body = body;
        body["now"] = json!(NOW);
        let (status, api_text) = api(&sb, "check", &body).await;
        assert_eq!(status, 200, "{api_text}");
        assert_eq!(api_text, cli_check(token, secret, &args), "{body}");
    }
    // The most common integration bug, named the same way: signed with the hex text's bytes.
    let as_text =
        mmjwt::token::mint::Minter::new(KID, mmjwt::secret::HmacKey::new(SECRET_HEX.as_bytes()))
            .mint(&mmjwt::token::mint::Claims {
                sub: "alice",
                app_code: APP,
                iat: NOW - 10,
                exp: NOW + 600,
                jti: "j-1",
                iss: Some(APP),
                extra: &[],
            })
            .0;
    let (_, api_text) = api(
        &sb,
        "check",
        &json!({"token": as_text, "secret": SECRET_HEX, "now": NOW}),
    )
    .await;
    assert_eq!(api_text, cli_check(&as_text, Some(SECRET_HEX), &[]));
    assert!(api_text.contains("SECRET_USED_AS_TEXT"), "{api_text}");
    // Prefixes are cleaned and noted as the command line does it.
    let pasted = format!("  Bearer {REFERENCE_TOKEN}\n");
    let (_, api_text) = api(&sb, "check", &json!({"token": pasted, "now": NOW})).await;
    assert_eq!(api_text, cli_check(&pasted, None, &[]));
    assert!(api_text.contains("'Bearer ' prefix removed"));
    assert!(api_text.contains("AS_GIVEN_REFUSED"), "{api_text}");
    // The sandbox's own key stands in for the secret when asked: the answer is the one for
    // that secret on the command line.
    let (_, api_text) = api(
        &sb,
        "check",
        &json!({"token": REFERENCE_TOKEN, "now": NOW, "sandbox_key": true}),
    )
    .await;
    assert_eq!(api_text, cli_check(REFERENCE_TOKEN, Some(SECRET_HEX), &[]));
    assert!(api_text.contains(r#""verified":true"#));
    // Exact input judges the string as given, as `check --exact`: the whitespace and the
    // scheme are part of the token.
    for given in [pasted.as_str(), "\u{a0}", " eyJhbGciOiJIUzI1NiJ9.e30.x"] {
        let (_, exact) = api(
            &sb,
            "check",
            &json!({"token": given, "now": NOW, "exact": true}),
        )
        .await;
        assert_eq!(exact, cli_check(given, None, &["--exact"]), "{given:?}");
        let v: Value = serde_json::from_str(&exact).unwrap();
        assert_eq!(v["input"]["length"], given.len());
        assert_eq!(v["valid"], false);
    }
    sb.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gen_answers_byte_for_byte_what_gen_json_prints() {
    let sb = start(true).await;
    let fixed = [
        "--user-id",
        "ext-user-1",
        "--app-code",
        APP,
        "--key-id",
        KID,
        "--now",
        "1700000000",
        "--ttl",
        "60s",
        "--jti",
        "00000000-0000-4000-8000-000000000001",
    ];
    let run = |extra: &[&str]| {
        let out = mmjwt()
            .arg("gen")
            .arg("--json")
            .args(fixed)
            .args(extra)
            .env("MMJWT_SECRET", SECRET_HEX)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout)
            .unwrap()
            .trim_end()
            .to_string()
    };
    let base = json!({"user_id": "ext-user-1", "app_code": APP, "key_id": KID, "now": 1_700_000_000,
        "ttl": "60s", "jti": "00000000-0000-4000-8000-000000000001"});
    // The typed secret, and the sandbox's own key (no secret): the same bytes.
    for with_secret in [true, false] {
        let mut b = base.clone();
        if with_secret {
            b["secret"] = json!(SECRET_HEX);
        }
        let (status, text) = api(&sb, "gen", &b).await;
        assert_eq!(status, 200, "{text}");
        assert_eq!(text, run(&[]));
    }
    let mut b = base.clone();
    b["no_iss"] = json!(true);
    let (_, text) = api(&sb, "gen", &b).await;
    assert_eq!(text, run(&["--no-iss"]));
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["token"], REFERENCE_TOKEN, "the spec's reference token");
    let mut b = base.clone();
    b["claims"] = json!({"plan": "pro", "seats": 3, "tags": ["a"]});
    let (_, text) = api(&sb, "gen", &b).await;
    assert_eq!(
        text,
        run(&[
            "--claim",
            "plan=pro",
            "--claim",
            "seats:=3",
            "--claim",
            "tags:=[\"a\"]"
        ])
    );
    // Made to fail: for every kind, what `gen --break KIND --json` prints, prediction included
    // (an expired one needs no allow_expired, as on the command line).
    for kind in mmjwt::token::breakage::BreakKind::ALL.map(mmjwt::token::breakage::BreakKind::name)
    {
        for with_secret in [true, false] {
            let mut b = base.clone();
            b["break"] = json!(kind);
            if with_secret {
                b["secret"] = json!(SECRET_HEX);
            }
            let (status, text) = api(&sb, "gen", &b).await;
            assert_eq!(status, 200, "{kind}: {text}");
            assert_eq!(text, run(&["--break", kind]), "{kind}");
            let v: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["break"]["kind"], kind);
        }
    }
    // The page's choice lists exactly those kinds, in order, each with its summary.
    let (_, state) = api_get(&sb, "state").await;
    let state: Value = serde_json::from_str(&state).unwrap();
    assert_eq!(state["schema"], 2);
    let listed: Vec<(&str, &str)> = state["break_kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["kind"].as_str().unwrap(), k["summary"].as_str().unwrap()))
        .collect();
    let kinds = mmjwt::token::breakage::BreakKind::ALL.map(|k| (k.name(), k.summary()));
    assert_eq!(listed, kinds);
    // Without app code and key id: the sandbox's.
    let (_, text) = api(&sb, "gen", &json!({"user_id": "alice"})).await;
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["header"]["kid"], KID);
    assert_eq!(v["claims"]["infobip-api-key"], APP);
    sb.shutdown().await.unwrap();
}

/// A replay `--json` object without what differs between two sends of the same call.
fn comparable(mut v: Value) -> Value {
    v["elapsed_ms"] = Value::Null;
    if let Some(h) = v["response"]["headers"].as_object_mut() {
        h.remove("date");
    }
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_answers_what_replay_json_prints_for_one_call_to_this_sandbox() {
    let sb = start(true).await;
    let (_, g) = api(&sb, "gen", &json!({"user_id": "alice", "ttl": "10m"})).await;
    let token = serde_json::from_str::<Value>(&g).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    for (call, sdk, data) in [
        ("personalize", "android", None),
        ("fetch-user", "ios", None),
        ("fetch-user", "android", None),
        ("patch-user", "android", Some(json!({"firstName": "Ada"}))),
    ] {
        let mut body = json!({"call": call, "sdk": sdk, "token": token, "push_reg_id": "dev-1",
            "installation_id": "inst-1"});
        if let Some(d) = &data {
            body["data"] = d.clone();
        }
        let (status, api_text) = api(&sb, "replay", &body).await;
        assert_eq!(status, 200, "{api_text}");
        let from_api: Value = serde_json::from_str(&api_text).unwrap();
        assert!(
            !api_text.contains(&token),
            "the token is redacted: {api_text}"
        );
        let mut c = mmjwt();
        c.args([
            "replay",
            call,
            "--json",
            "--sdk",
            sdk,
            "--base-url",
            &sb.url(),
        ]);
        c.args([
            "--push-reg-id",
            "dev-1",
            "--installation-id",
            "inst-1",
            "--token",
            &token,
        ]);
        if let Some(d) = &data {
            c.args(["--data", &d.to_string()]);
        }
        let out = c.output().unwrap();
        let from_cli: Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"));
        assert_eq!(comparable(from_api), comparable(from_cli), "{call} {sdk}");
    }
    // An expired token is refused by the SDK and never sent, as replay does.
    let expired = mmjwt::token::mint::Minter::new(KID, test_key())
        .mint(&mmjwt::token::mint::Claims {
            sub: "alice",
            app_code: APP,
            iat: 1_000,
            exp: 2_000,
            jti: "j",
            iss: None,
            extra: &[],
        })
        .0;
    let (_, text) = api(
        &sb,
        "replay",
        &json!({"call": "fetch-user", "sdk": "android", "token": expired}),
    )
    .await;
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["preflight"]["code"], "JWT_TOKEN_EXPIRED");
    assert_eq!(v["sent"], false);
    let (_, st) = api_get(&sb, "state").await;
    let st: Value = serde_json::from_str(&st).unwrap();
    assert_eq!(st["mode"], "jwt-only");
    assert_eq!(st["key_ids"], json!([KID]));
    assert_eq!(st["installations"][0]["pushRegId"], "dev-1");
    assert_eq!(st["persons"][0]["externalUserId"], "alice");
    assert_eq!(st["persons"][0]["firstName"], "Ada");
    assert_eq!(
        st["explain"]["claims"]["sub"],
        "the person's external user id"
    );
    assert!(!st.to_string().contains(SECRET_HEX), "never a secret");
    sb.shutdown().await.unwrap();
}

async fn api_get(sb: &Sandbox, path: &str) -> (u16, String) {
    let r = client()
        .get(format!("{}/_mmjwt/api/{path}", sb.url()))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_log_carries_api_calls_without_bodies_tokens_or_secrets() {
    let sb = start(true).await;
    let mut events = client()
        .get(format!("{}/_mmjwt/api/events", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    assert_eq!(events.headers()["cache-control"], "no-store");
    let (_, g) = api(
        &sb,
        "gen",
        &json!({"user_id": "carol", "secret": SECRET_HEX}),
    )
    .await;
    let token = serde_json::from_str::<Value>(&g).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    api(&sb, "check", &json!({"token": token, "secret": SECRET_HEX})).await;
    api(
        &sb,
        "replay",
        &json!({"call": "personalize", "sdk": "ios", "token": token}),
    )
    .await;
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !seen.contains("/_mmjwt/api/replay") {
        let chunk = tokio::time::timeout_at(deadline, events.chunk())
            .await
            .expect("events within 10 s")
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let lines: Vec<Value> = seen
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let paths: Vec<&str> = lines.iter().map(|l| l["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"/_mmjwt/api/gen"), "{paths:?}");
    assert!(paths.contains(&"/_mmjwt/api/check"), "{paths:?}");
    let personalize = lines
        .iter()
        .find(|l| l["path"].as_str().unwrap().ends_with("/personalize"))
        .expect("the replayed call is in the log");
    assert_eq!(personalize["auth"], "Bearer");
    assert_eq!(personalize["sub"], "carol");
    assert_eq!(personalize["status"], 200);
    assert!(!seen.contains(SECRET_HEX), "{seen}");
    assert!(!seen.contains(&token), "{seen}");
    assert!(
        !seen.contains(&token[..30]),
        "not even the token's header: {seen}"
    );
    // Stopping ends the open stream instead of waiting out the grace period for it.
    tokio::time::timeout(Duration::from_secs(20), sb.shutdown())
        .await
        .expect("the stop does not wait for the open log stream")
        .unwrap();
    let end = tokio::time::timeout(Duration::from_secs(5), events.chunk()).await;
    assert!(
        matches!(end, Ok(Ok(None) | Err(_))),
        "the stream has ended: {end:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_ui_turns_the_page_and_its_api_off() {
    let sb = start(false).await;
    let http = client();
    for path in [
        "/",
        "/_mmjwt/app.js",
        "/_mmjwt/api/state",
        "/_mmjwt/api/events",
    ] {
        let r = http
            .get(format!("{}{path}", sb.url()))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    let (status, _) = api(&sb, "check", &json!({"token": "x"})).await;
    assert!(status == 404 || status == 405, "{status}");
    sb.shutdown().await.unwrap();
}

#[test]
fn mmjwt_ui_prints_the_url_first_serves_the_page_and_stops_on_sigterm() {
    // No browser opener on PATH: the command must not fail for it.
    let run = Running::spawn(
        &["ui"],
        &[
            ("PATH", "/nonexistent"),
            ("MMJWT_SECRET", SECRET_HEX),
            ("MMJWT_KEY_ID", KID),
            ("MMJWT_APP_CODE", APP),
        ],
        |l| l.starts_with("mmjwt: ui: token debugger at "),
    );
    let url = run.url.clone();
    assert!(url.ends_with('/'), "{url}");
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let page = raw(
        addr,
        &format!(
            "GET / HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("mmjwt token debugger"));
    let state = raw(
        addr,
        &format!("GET /_mmjwt/api/state HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    assert!(state.contains(r#""mode":"jwt-only""#), "{state}");
    assert!(
        state.contains(&format!(r#""key_ids":["{KID}"]"#)),
        "{state}"
    );
    run.signal("TERM");
    let (status, err) = run.finish();
    assert_eq!(status.code(), Some(0));
    // What a person reads, whole.
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            format!("mmjwt: ui: token debugger at {url} (jwt-only sandbox, app code \"{APP}\", key id \"{KID}\"; the configured credentials); Ctrl-C stops it").as_str(),
            "mmjwt: note: no browser could be started; open the URL above yourself",
            "mmjwt: ui: SIGTERM: stopping",
        ],
        "{err}"
    );
    assert!(!err.contains(SECRET_HEX), "{err}");
}

#[test]
fn the_sandbox_log_on_stderr_records_api_calls_without_their_secrets() {
    let run = Running::start(
        &["--log-format", "json", "--app-code", APP, "--key-id", KID],
        &[("MMJWT_SECRET", SECRET_HEX)],
    );
    let addr: SocketAddr = run.url.trim_start_matches("http://").parse().unwrap();
    let wrong = "ab".repeat(32);
    let edited = r#"{"sub":"edna","exp":4000000000}"#;
    for (path, body) in [
        ("check", json!({"token": REFERENCE_TOKEN, "secret": wrong})),
        ("gen", json!({"user_id": "dora", "secret": wrong})),
        (
            "resign",
            json!({"header": crate::support::HEADER, "claims": edited, "secret": wrong}),
        ),
    ] {
        let body = body.to_string();
        let answer = raw(
            addr,
            &format!(
                "POST /_mmjwt/api/{path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
        );
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    run.signal("TERM");
    let (_, err) = run.finish();
    let logged: Vec<Value> = err
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let paths: Vec<&str> = logged.iter().filter_map(|l| l["path"].as_str()).collect();
    assert_eq!(
        paths,
        ["/_mmjwt/api/check", "/_mmjwt/api/gen", "/_mmjwt/api/resign"],
        "{err}"
    );
    assert!(
        logged
            .iter()
            .all(|l| l["status"] == 200 && l["auth"] == "none"),
        "{err}"
    );
    let resigned = crate::support::signed(
        crate::support::HEADER,
        edited,
        &mmjwt::secret::HmacKey::new(&[0xab; 32]),
    );
    for secret in [
        SECRET_HEX,
        wrong.as_str(),
        &REFERENCE_TOKEN[..40],
        "dora",
        "edna",
        &resigned[resigned.len() - 43..],
    ] {
        assert!(!err.contains(secret), "the log holds {secret}: {err}");
    }
}

/// POSTs raw `body` text to the API with a content type and an origin: status and JSON.
async fn api_as(
    sb: &Sandbox,
    path: &str,
    content_type: &str,
    origin: &str,
    body: &str,
) -> (u16, Value) {
    page_api::post_json(sb, path, content_type, Some(origin), body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resign_signs_the_text_as_typed_and_refuses_what_is_not_an_object() {
    use crate::support::{HEADER, payload, signed};
    let sb = start(true).await;
    // The text as typed, byte for byte: spaces, a newline, an escape, a number as written and
    // members out of the usual order are all kept; the signature is over exactly that.
    let claims = "{\"zeta\": 1.50, \"sub\":\"al\\u0069ce\",\n \"infobip-api-key\":\"test-app-code\",\"iat\":1700000000,\"exp\":1700000900,\"jti\":\"j\",\"typ\":\"Bearer\"}";
    for body in [
        json!({"header": HEADER, "claims": claims, "secret": SECRET_HEX}),
        json!({"header": HEADER, "claims": claims, "sandbox_key": true}),
        json!({"header": HEADER, "claims": claims, "secret": SECRET_HEX, "sandbox_key": false}),
    ] {
        let (status, text) = api(&sb, "resign", &body).await;
        assert_eq!(status, 200, "{body}: {text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v,
            json!({"token": signed(HEADER, claims, &test_key())}),
            "{body}"
        );
    }
    // A round trip: the segments of a token, re-signed with the same key, are that token.
    let original = signed(HEADER, &payload("bob", NOW, NOW + 600), &test_key());
    let (status, text) = api(
        &sb,
        "resign",
        &json!({"header": HEADER, "claims": payload("bob", NOW, NOW + 600), "sandbox_key": true}),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["token"],
        original
    );
    // What check says of it is what check says of any token: judged with the sandbox's key.
    let token = signed(HEADER, claims, &test_key());
    let (_, report) = api(
        &sb,
        "check",
        &json!({"token": token, "sandbox_key": true, "now": NOW}),
    )
    .await;
    let report: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["verified"], true, "{report}");
    assert_eq!(report["claims"]["sub"], "alice", "{report}");

    // Refusals: where the text stops being JSON (line and column), a JSON value that is not an
    // object, no key, a kid the sandbox lacks, a bad secret; none quotes what was sent.
    let broken = "{\"sub\": \"SECRETVALUE\",\n  \"exp\": 17}}";
    for (body, kind, segment, says, at) in [
        (
            json!({"header": HEADER, "claims": broken, "sandbox_key": true}),
            "json",
            Some("claims"),
            "the payload is not valid JSON (trailing characters at line 2 column 13)",
            Some((2, 13)),
        ),
        (
            json!({"header": "{\"alg\":\"HS256\",", "claims": "{}", "secret": SECRET_HEX}),
            "json",
            Some("header"),
            "the header is not valid JSON",
            Some((1, 15)),
        ),
        (
            json!({"header": HEADER, "claims": "[\"SECRETVALUE\"]", "secret": SECRET_HEX}),
            "json",
            Some("claims"),
            "not a JSON object",
            None,
        ),
        (
            json!({"header": HEADER, "claims": "{\"sub\":\"a\",\"sub\":\"SECRETVALUE\"}", "secret": SECRET_HEX}),
            "json",
            Some("claims"),
            "more than once",
            None,
        ),
        (
            json!({"header": HEADER, "claims": "{}"}),
            "usage",
            None,
            "no key to sign with",
            None,
        ),
        (
            json!({"header": "{\"kid\":", "claims": "{}"}),
            "json",
            Some("header"),
            "the header is not valid JSON",
            Some((1, 7)),
        ),
        (
            json!({"header": "{\"kid\":\"SECRETVALUE\"}", "claims": "{}", "sandbox_key": true}),
            "usage",
            None,
            "not one of the sandbox's keys",
            None,
        ),
        (
            json!({"header": HEADER, "claims": "{}", "secret": "zz-not-hex-SECRETVALUE"}),
            "secret",
            None,
            "malformed secret",
            None,
        ),
        (
            json!({"header": HEADER, "claims": {"sub": "x"}, "secret": SECRET_HEX}),
            "usage",
            None,
            "wrong type",
            None,
        ),
        (
            json!({"header": HEADER, "claims": "{}", "kid": "x"}),
            "usage",
            None,
            "unknown field `kid`",
            None,
        ),
        (
            json!({"header": HEADER}),
            "usage",
            None,
            "missing field `claims`",
            None,
        ),
    ] {
        let (status, text) = api(&sb, "resign", &body).await;
        assert_eq!(status, 400, "{body}: {text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        let e = &v["error"];
        assert_eq!(e["kind"], kind, "{text}");
        let msg = e["message"].as_str().unwrap();
        assert!(msg.contains(says), "{body}: {msg}");
        assert!(!msg.contains("SECRETVALUE"), "{msg}");
        assert_eq!(e["segment"].as_str(), segment, "{text}");
        assert_eq!(at, e["line"].as_u64().zip(e["column"].as_u64()), "{text}");
    }

    // The guard as for every call: another origin, a body that is not JSON, another method,
    // an oversized body.
    let body = json!({"header": HEADER, "claims": "{}", "secret": SECRET_HEX}).to_string();
    let (status, v) = api_as(
        &sb,
        "resign",
        "application/json",
        "http://evil.example",
        &body,
    )
    .await;
    assert_eq!((status, v["error"]["kind"].as_str()), (403, Some("origin")));
    let own = format!("http://127.0.0.1:{}", sb.addr().port());
    let (status, v) = api_as(&sb, "resign", "text/plain", &own, &body).await;
    assert_eq!(
        (status, v["error"]["kind"].as_str()),
        (415, Some("content-type"))
    );
    let (status, v) = api_as(&sb, "resign", "application/json", &own, &body).await;
    assert_eq!(status, 200, "{v}");
    let r = client()
        .get(format!("{}/_mmjwt/api/resign", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    let big =
        json!({"header": HEADER, "claims": format!("{{\"x\":\"{}\"}}", "a".repeat(70 * 1024))});
    let (status, text) = api(&sb, "resign", &big).await;
    assert_eq!(status, 413, "{text}");
    for origin in [None, Some("http://evil.example")] {
        let mut req = format!(
            "POST /_mmjwt/api/resign HTTP/1.1\r\nHost: evil.example:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            sb.addr().port(),
            body.len()
        );
        if let Some(o) = origin {
            req.push_str("Origin: ");
            req.push_str(o);
            req.push_str("\r\n");
        }
        req.push_str("\r\n");
        req.push_str(&body);
        let answer = raw(sb.addr(), &req);
        assert!(answer.starts_with("HTTP/1.1 421"), "{answer}");
        assert!(
            !answer.contains("eyJ"),
            "no token for a foreign host: {answer}"
        );
    }
    sb.shutdown().await.unwrap();
}
