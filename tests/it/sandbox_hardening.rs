//! The sandbox as an attack surface: it judges every corpus token exactly as `check` does (same
//! `messageId` as the corpus's key-ring verdict), also on randomly mutated tokens; a client that
//! sends its headers slowly (or not at all) is cut off while others are served; 101 header lines
//! get 431; and 5,000 mixed requests at concurrency 16 against the real binary give no 5xx, lose
//! no acknowledged change and stay within a memory bound.
//!
//! In-process checks use the router with `oneshot` (no socket, fast); the header limits and the
//! load need real sockets on 127.0.0.1:0.

use crate::corpus::{self, Case};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, header};
use mmjwt::problem::Code;
use mmjwt::sandbox::{Clock, Config, Mode, SandboxThread};
use mmjwt::sdk::SdkSelection;
use mmjwt::secret::HmacKey;
use mmjwt::token::check::{Expectations, Keys, Options, check};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::OnceLock;
use std::time::Duration;
use tower::ServiceExt as _;

const APP: &str = "test-app-code";

/// What one call through the router answered.
#[derive(Debug)]
struct Answer {
    status: u16,
    body: Value,
}

impl Answer {
    fn message_id(&self) -> Option<&str> {
        self.body["requestError"]["serviceException"]["messageId"].as_str()
    }
}

/// One request through the router (no socket). `authorization` is raw header bytes; the
/// response must be JSON with a matching Content-Length.
async fn call(
    app: &Router,
    method: &str,
    path: &str,
    authorization: Option<HeaderValue>,
    body: Option<&Value>,
) -> Answer {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(a) = authorization {
        req = req.header(header::AUTHORIZATION, a);
    }
    let body = match body {
        Some(b) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let res = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let status = res.status().as_u16();
    assert_eq!(
        res.headers().get(header::CONTENT_TYPE).unwrap(),
        "application/json"
    );
    let declared: usize = res.headers()[header::CONTENT_LENGTH]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    assert_eq!(declared, bytes.len());
    Answer {
        status,
        body: serde_json::from_slice(&bytes).unwrap(),
    }
}

/// A sandbox router in allow-all mode at a fixed instant, with at most one key.
fn router(now: i64, leeway: i64, key: Option<(&str, &[u8])>) -> Router {
    let mut c = Config::new(Mode::AllowAll, APP);
    c.clock = Clock::Fixed(now);
    c.leeway = leeway;
    if let Some((kid, k)) = key {
        c = c.with_key(kid, HmacKey::new(k));
    }
    mmjwt::sandbox::router(c).unwrap()
}

fn bearer(token: &str) -> Option<HeaderValue> {
    HeaderValue::from_bytes(format!("Bearer {token}").as_bytes()).ok()
}

/// The token's `sub` when it has a readable one (what personalize must name).
fn sub_of(token: &str) -> Option<String> {
    let opts = Options {
        sdk: SdkSelection::NONE,
        ..Options::at(0)
    };
    let r = check(token, &opts);
    r.claims
        .as_ref()
        .and_then(|c| c.get("sub"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Personalizes installation `reg` with the token (as its `sub`), then fetches the user with
/// it. Returns both answers.
async fn personalize_then_fetch(app: &Router, reg: &str, token: &str) -> Option<[Answer; 2]> {
    let auth = bearer(token)?;
    let sub = sub_of(token).unwrap_or_else(|| "nobody".to_owned());
    let identity = json!({"userIdentity": {"externalUserId": sub}});
    let p = call(
        app,
        "POST",
        &format!("/mobile/1/appinstance/{reg}/personalize"),
        Some(auth.clone()),
        Some(&identity),
    )
    .await;
    let f = call(
        app,
        "GET",
        &format!("/mobile/1/appinstance/{reg}/user"),
        Some(auth),
        None,
    )
    .await;
    Some([p, f])
}

/// The cases one sandbox serves: `(now, leeway, kid, key)`.
type Group = (i64, i64, String, Option<Vec<u8>>);

/// What the sandbox must answer for a verdict: 200, or 401 with the problem code.
fn agrees(a: &Answer, primary: Option<Code>) -> bool {
    match primary {
        None => a.status == 200,
        Some(code) => a.status == 401 && a.message_id() == Some(code.as_str()),
    }
}

/// check ↔ sandbox parity (matrix J3): every corpus token, sent as `Bearer` to personalize and
/// fetch-user, gets 200 exactly when the corpus calls it valid for a key ring, and otherwise
/// 401 with the corpus's primary problem as `messageId`. Cases meant for `check` without a key
/// (the sandbox always verifies) must be refused by a sandbox that has no key.
#[tokio::test(flavor = "current_thread")]
async fn every_corpus_token_gets_the_same_verdict_from_the_sandbox() {
    let all = corpus::cases();
    let mut groups: BTreeMap<Group, Vec<&Case>> = BTreeMap::new();
    for c in &all {
        groups
            .entry((c.now, c.leeway, c.kid.clone(), c.key.clone()))
            .or_default()
            .push(c);
    }
    let mut bad = Vec::new();
    let (mut compared, mut keyless, mut unsendable, mut accepted) = (0, 0, 0, 0);
    for ((now, leeway, kid, key), cases) in &groups {
        let app = router(*now, *leeway, key.as_deref().map(|k| (kid.as_str(), k)));
        let verdicts: HashMap<&str, Option<Code>> = cases
            .iter()
            .map(|c| (c.token.as_str(), c.ring_primary))
            .collect();
        for (i, case) in cases.iter().enumerate() {
            let reg = format!("reg-{i}");
            let Some(answers) = personalize_then_fetch(&app, &reg, &case.token).await else {
                // Bytes no HTTP client can put in a header (control characters): the corpus
                // must call such a token invalid.
                unsendable += 1;
                if case.valid {
                    bad.push(format!("{}: valid but not sendable", case.id));
                }
                continue;
            };
            for a in &answers {
                // A refusal never repeats the token (matrix J2).
                if a.status == 401 && case.token.len() >= 16 {
                    let text = a.body.to_string();
                    if text.contains(case.token.as_str()) {
                        bad.push(format!("{}: the refusal repeats the token", case.id));
                    }
                }
                let ok = if key.is_none() {
                    a.status == 401
                } else if !case
                    .token
                    .bytes()
                    .all(|b| b == b'\t' || (32..127).contains(&b))
                {
                    // Bytes past ASCII: the header is not text, so the token is never read.
                    a.status == 401 && a.message_id() == Some("AUTHORIZATION_INVALID")
                } else if let Some(rest) = case.token.strip_prefix(' ') {
                    // Spaces after the scheme separate it from the credential (RFC 9110
                    // §11.4), so the sandbox reads the token without them: its verdict is the
                    // corpus's for that token.
                    match verdicts.get(rest.trim_start_matches(' ')) {
                        Some(v) => agrees(a, *v),
                        None => false,
                    }
                } else {
                    agrees(a, case.ring_primary)
                };
                if !ok {
                    bad.push(format!(
                        "{}: sandbox {} {}, corpus {:?}",
                        case.id,
                        a.status,
                        a.message_id().unwrap_or("-"),
                        case.ring_primary.map(Code::as_str)
                    ));
                }
            }
            if key.is_none() {
                keyless += 1;
            } else {
                compared += 1;
            }
            if answers[1].status == 200 {
                accepted += 1;
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} disagreements:\n{}",
        bad.len(),
        bad.join("\n")
    );
    assert_eq!(compared + keyless + unsendable, all.len());
    eprintln!(
        "{} cases in {} sandboxes: {compared} compared, {keyless} keyless, {unsendable} unsendable, {accepted} accepted",
        all.len(),
        groups.len()
    );
    assert!(compared >= 380, "{compared} compared");
    assert_eq!(keyless, 15);
    assert!(accepted >= 10, "{accepted} accepted");
    // Few sandboxes: cases share their instant, leeway and key.
    assert!(groups.len() < 40, "{} groups", groups.len());
}

// ------------------------------------------------------------------ mutated tokens (proptest)

const NOW: i64 = 1_700_000_000;
const KID: &str = "test-key-id";

/// Tokens to start from: valid, for another app, expired, not yet valid, unsigned.
fn base_tokens() -> Vec<String> {
    use crate::common::{HEADER, payload, signed, test_key};
    let key = test_key();
    let other_app = r#"{"typ":"Bearer","sub":"u","infobip-api-key":"other-app","iat":1700000000,"exp":1700000060,"jti":"j"}"#;
    vec![
        crate::common::REFERENCE_TOKEN.to_owned(),
        signed(HEADER, &payload("u2", NOW - 10, NOW + 600), &key),
        signed(HEADER, other_app, &key),
        signed(HEADER, &payload("u3", NOW - 100, NOW - 1), &key),
        signed(HEADER, &payload("u4", NOW + 100, NOW + 200), &key),
        format!(
            "{}.{}.",
            mmjwt::b64::encode(br#"{"alg":"none","kid":"test-key-id"}"#),
            mmjwt::b64::encode(payload("u5", NOW, NOW + 60).as_bytes())
        ),
    ]
}

/// One edit: substitute, insert or delete a character (positions are taken modulo the length).
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, char),
    Insert(usize, char),
    Delete(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    // The base64url alphabet, the separators and padding, space, tab, and bytes past ASCII
    // (which make the header unreadable as text).
    let ch = prop_oneof![
        8 => proptest::char::ranges(vec!['A'..='Z', 'a'..='z', '0'..='9'].into()),
        2 => proptest::sample::select(vec!['-', '_', '.', '=', '+', '/', ' ', '\t', '"', 'é', '\u{ff}']),
    ];
    prop_oneof![
        (any::<usize>(), ch.clone()).prop_map(|(i, c)| Edit::Set(i, c)),
        (any::<usize>(), ch).prop_map(|(i, c)| Edit::Insert(i, c)),
        any::<usize>().prop_map(Edit::Delete),
    ]
}

fn apply(token: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    for e in edits {
        match *e {
            Edit::Set(i, c) if !chars.is_empty() => {
                let n = chars.len();
                chars[i % n] = c;
            }
            Edit::Insert(i, c) => {
                let n = chars.len() + 1;
                chars.insert(i % n, c);
            }
            Edit::Delete(i) if !chars.is_empty() => {
                let n = chars.len();
                chars.remove(i % n);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// A current-thread runtime and a sandbox router shared by every proptest case.
fn shared() -> &'static (tokio::runtime::Runtime, Router) {
    static SHARED: OnceLock<(tokio::runtime::Runtime, Router)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let key = crate::common::test_key();
        let mut c = Config::new(Mode::AllowAll, APP).with_key(KID, key);
        c.clock = Clock::Fixed(NOW);
        (rt, mmjwt::sandbox::router(c).unwrap())
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// `check` with the sandbox's settings (key ring, the app code expected, a signature
    /// required, no SDK checks) and the sandbox itself give the same verdict on mutated tokens.
    #[test]
    fn check_and_the_sandbox_agree_on_mutated_tokens(
        base in 0usize..6,
        edits in proptest::collection::vec(edit(), 0..4),
    ) {
        let token = apply(&base_tokens()[base], &edits);
        let ring = HashMap::from([(KID.to_owned(), crate::common::test_key())]);
        let opts = Options {
            now: NOW,
            leeway: 0,
            keys: Keys::Ring(&ring),
            expect: Expectations { app_code: Some(APP), ..Expectations::default() },
            require_signature: true,
            sdk: SdkSelection::NONE,
        };
        // Spaces after the scheme are separators: the sandbox reads what follows them.
        let seen = token.trim_start_matches(' ');
        let expected = check(seen, &opts).primary_problem().map(|p| p.code);
        let (rt, app) = shared();
        let auth = bearer(&token);
        prop_assume!(auth.is_some());
        let sub = sub_of(seen).unwrap_or_else(|| "nobody".to_owned());
        let identity = json!({"userIdentity": {"externalUserId": sub}});
        let a = rt.block_on(call(
            app,
            "POST",
            "/mobile/1/appinstance/reg/personalize?forceDepersonalize=true",
            auth,
            Some(&identity),
        ));
        if token.is_ascii() {
            prop_assert!(agrees(&a, expected), "{token}: sandbox {a:?}, check {expected:?}");
        } else {
            // Not text: the sandbox never reads it; check refuses it too.
            prop_assert!(expected.is_some());
            prop_assert_eq!((a.status, a.message_id()), (401, Some("AUTHORIZATION_INVALID")));
        }
    }
}

// ------------------------------------------------------------------------ header limits

/// Reads until the server closes the connection; `false` if it is still open after `within`.
fn closed_by_server(s: &mut TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).unwrap();
    let mut sink = Vec::new();
    match s.read_to_end(&mut sink) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

use crate::common::raw_exchange as exchange;

const FETCH: &[u8] = b"GET /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: App test-app-code\r\nConnection: close\r\n\r\n";

/// Slowloris (matrix J6): connections that send nothing, half a request line, or one byte at a
/// time are closed by the header-read timeout, while complete requests are served meanwhile.
#[test]
fn slow_header_senders_are_cut_off_while_others_are_served() {
    let mut cfg = Config::new(Mode::AllowAll, APP);
    cfg.limits.header_read_timeout = Duration::from_millis(500);
    let sb = SandboxThread::spawn(cfg).unwrap();
    let addr = sb.addr();

    let silent = TcpStream::connect(addr).unwrap();
    let mut partial: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /mobile/1/appinstance/r/user HT").unwrap();
            s
        })
        .collect();
    let mut trickle = TcpStream::connect(addr).unwrap();
    trickle.write_all(&FETCH[..1]).unwrap();

    // With 22 connections stalled, a complete request is still answered at once.
    let reply = exchange(addr, FETCH);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");

    // The trickler sends one more byte every 50 ms (its request would need 5 s); the server
    // must close the connection long before it is complete. Bounded: 60 rounds.
    trickle
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let mut cut_off = false;
    for byte in FETCH[1..].iter().take(60) {
        if trickle.write_all(std::slice::from_ref(byte)).is_err() {
            cut_off = true;
            break;
        }
        let mut buf = [0u8; 256];
        match trickle.read(&mut buf) {
            Ok(0) => {
                cut_off = true;
                break;
            }
            Ok(n) => panic!(
                "answered an incomplete request: {}",
                String::from_utf8_lossy(&buf[..n])
            ),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => {
                cut_off = true;
                break;
            }
        }
    }
    assert!(
        cut_off,
        "a client sending one byte per 50 ms was never cut off"
    );

    let mut silent = silent;
    assert!(closed_by_server(&mut silent, Duration::from_secs(3)));
    for s in &mut partial {
        assert!(closed_by_server(s, Duration::from_secs(3)));
    }
    // And the server still serves after all that.
    let reply = exchange(addr, FETCH);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}

/// Header count limit (matrix J5): 100 header lines are served, 101 get 431.
#[test]
fn one_header_too_many_gets_431() {
    let sb = SandboxThread::spawn(Config::new(Mode::AllowAll, APP)).unwrap();
    let request = |lines: usize| {
        // Host, Authorization and Connection, plus fillers up to `lines`.
        let mut r = String::from(
            "GET /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: App test-app-code\r\nConnection: close\r\n",
        );
        for i in 0..lines - 3 {
            r.push_str("X-Filler: ");
            r.push_str(&i.to_string());
            r.push_str("\r\n");
        }
        r.push_str("\r\n");
        exchange(sb.addr(), r.as_bytes())
    };
    let at_limit = request(100);
    assert!(at_limit.starts_with("HTTP/1.1 200"), "{at_limit}");
    let over = request(101);
    assert!(over.starts_with("HTTP/1.1 431"), "{over}");
}

// ------------------------------------------------------------------------------------ load

const LOAD_REQUESTS: usize = 5_000;
const LOAD_CONCURRENCY: usize = 16;
/// The peak resident set the sandbox may reach under the load (the README states it).
const LOAD_RSS_LIMIT_KB: u64 = 64 * 1024;
const LOAD_SECRET: &str = "4c4f41442d4c4f41442d4c4f41442d4c4f41442d4c4f41442d4c4f41442d4c4f";

/// `VmHWM` (peak) and `VmRSS` of a process, in KiB.
#[cfg(target_os = "linux")]
fn memory_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status"))
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// What one load step is.
#[derive(Debug, Clone, Copy)]
enum Step {
    FetchApp,
    PatchIosBearer,
    FetchBearer,
    PatchAndroidApp,
    FetchBadBearer,
    Personalize,
    Depersonalize,
    PatchBadBearer,
    FetchWrongApp,
}

const STEPS: [Step; 9] = [
    Step::FetchApp,
    Step::PatchIosBearer,
    Step::FetchBearer,
    Step::PatchAndroidApp,
    Step::FetchBadBearer,
    Step::Personalize,
    Step::Depersonalize,
    Step::PatchBadBearer,
    Step::FetchWrongApp,
];

/// Matrix J11 and the issue's load figure: 5,000 requests at concurrency 16 against the real
/// binary, every call (fetch, both patch styles, personalize, depersonalize) with App, valid
/// Bearer and invalid Bearer/App authorization. Each worker owns one user: installation `a{w}`
/// carries a counter it patches (and reads back right after), `d{w}` is personalized and
/// depersonalized over and over. No 5xx, every status as expected, the last acknowledged counter
/// value is what a final fetch shows, one log line per request with no token or secret in it,
/// and the peak RSS stays under 64 MiB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_mixed_requests_lose_nothing() {
    use crate::sandbox::{Api, Auth, Reply, Running, identity};
    use mmjwt::token::mint::{Claims, Minter};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let run = Running::start(
        &["--app-code", APP, "--log-format", "json"],
        &[("MMJWT_KEY_ID", KID), ("MMJWT_SECRET", LOAD_SECRET)],
    );
    let api = Api::new(run.url.clone());
    let now = mmjwt::time::now_unix();
    let jti = Arc::new(AtomicUsize::new(0));
    let mint = {
        let jti = jti.clone();
        move |secret: &str, sub: &str, exp: i64| {
            let j = format!("load-{}", jti.fetch_add(1, Ordering::Relaxed));
            let key = mmjwt::secret::Secret::from_hex(secret).unwrap().hmac_key();
            Minter::new(KID, key)
                .mint(&Claims {
                    sub,
                    app_code: APP,
                    iat: now - 5,
                    exp,
                    jti: &j,
                    iss: None,
                    extra: &[],
                })
                .0
        }
    };
    // A token per user, and three bad ones: another key, expired, not a token.
    let good: Arc<Vec<String>> = Arc::new(
        (0..LOAD_CONCURRENCY)
            .map(|w| mint(LOAD_SECRET, &format!("u{w}"), now + 3600))
            .collect(),
    );
    let bad: Arc<Vec<(String, &'static str)>> = Arc::new(vec![
        (
            mint(crate::common::SECRET_HEX, "u0", now + 3600),
            "SIGNATURE_INVALID",
        ),
        (mint(LOAD_SECRET, "u0", now - 1), "JWT_TOKEN_EXPIRED"),
        ("not.a.token".to_owned(), "JWT_TOKEN_STRUCTURE_INVALID"),
    ]);
    let mut setup = 0;
    for (w, t) in good.iter().enumerate() {
        let sub = format!("u{w}");
        api.personalize(
            &format!("a{w}"),
            "",
            &Auth::Bearer(t.clone()),
            &identity(&sub),
        )
        .await
        .ok();
        setup += 1;
    }

    let started = std::time::Instant::now();
    let mut workers = Vec::new();
    for w in 0..LOAD_CONCURRENCY {
        let (api, good, bad) = (api.clone(), good.clone(), bad.clone());
        // 5,000 split over 16 workers: the first 8 do one more.
        let count =
            LOAD_REQUESTS / LOAD_CONCURRENCY + usize::from(w < LOAD_REQUESTS % LOAD_CONCURRENCY);
        workers.push(tokio::spawn(async move {
            let (a, d, sub) = (format!("a{w}"), format!("d{w}"), format!("u{w}"));
            let bearer = Auth::Bearer(good[w].clone());
            let mut last_acked: Option<usize> = None;
            let mut statuses = Vec::with_capacity(count);
            for i in 0..count {
                let (bad_token, bad_id) = &bad[i % bad.len()];
                let bad_auth = Auth::Bearer(bad_token.clone());
                let counter = json!({"customAttributes": {"n": i}});
                let check = |r: &Reply, want: Option<(u16, &str)>| match want {
                    None => {
                        r.ok();
                    }
                    Some((status, id)) => r.refused(status, id),
                };
                let step = STEPS[(i + w) % STEPS.len()];
                let r = match step {
                    Step::FetchApp => {
                        let r = api.fetch(&a, &Auth::App(APP)).await;
                        check(&r, None);
                        r
                    }
                    Step::PatchIosBearer | Step::PatchAndroidApp => {
                        let r = if matches!(step, Step::PatchIosBearer) {
                            api.patch(&a, &bearer, &counter).await
                        } else {
                            api.patch_android(&a, &Auth::App(APP), &counter).await
                        };
                        check(&r, None);
                        last_acked = Some(i);
                        r
                    }
                    Step::FetchBearer => {
                        let r = api.fetch(&a, &bearer).await;
                        // Read-your-writes: the last acknowledged value, already.
                        let n = r.ok()["customAttributes"]["n"].as_u64().map(|n| n as usize);
                        assert_eq!(n, last_acked, "worker {w} step {i}");
                        r
                    }
                    Step::FetchBadBearer => {
                        let r = api.fetch(&a, &bad_auth).await;
                        check(&r, Some((401, bad_id)));
                        r
                    }
                    Step::PatchBadBearer => {
                        let poison = json!({"customAttributes": {"n": "refused"}});
                        let r = api.patch(&a, &bad_auth, &poison).await;
                        check(&r, Some((401, bad_id)));
                        r
                    }
                    Step::Personalize => {
                        let r = api.personalize(&d, "", &bearer, &identity(&sub)).await;
                        assert_eq!(r.ok()["externalUserId"], sub.as_str());
                        r
                    }
                    Step::Depersonalize => {
                        let r = api.depersonalize(&d, &Auth::App(APP)).await;
                        check(&r, None);
                        r
                    }
                    Step::FetchWrongApp => {
                        let r = api.fetch(&a, &Auth::App("wrong-app")).await;
                        check(&r, Some((401, "1")));
                        r
                    }
                };
                statuses.push(r.status);
            }
            (w, last_acked, statuses)
        }));
    }
    let mut statuses = Vec::with_capacity(LOAD_REQUESTS);
    let mut acked = Vec::new();
    for h in workers {
        let (w, last, s) = h.await.unwrap();
        statuses.extend(s);
        acked.push((w, last));
    }
    let elapsed = started.elapsed();
    assert_eq!(statuses.len(), LOAD_REQUESTS);
    let server_errors = statuses.iter().filter(|s| **s >= 500).count();
    assert_eq!(server_errors, 0);

    // No lost update: every user's counter is its last acknowledged value.
    let mut lost = 0;
    for (w, last) in &acked {
        let r = api.fetch(&format!("a{w}"), &Auth::App(APP)).await;
        let n = r.ok()["customAttributes"]["n"].as_u64().map(|n| n as usize);
        if n != *last {
            lost += 1;
        }
        assert!(last.is_some());
    }
    assert_eq!(lost, 0);

    #[cfg(target_os = "linux")]
    let (peak_kb, rss_kb) = memory_kb(run.child.id());
    #[cfg(not(target_os = "linux"))]
    let (peak_kb, rss_kb) = (0, 0);
    run.signal("TERM");
    let (status, log) = run.finish();
    assert_eq!(status.code(), Some(0));
    // The figures for the README (not asserted: timings vary with the machine).
    eprintln!(
        "load: {LOAD_REQUESTS} requests at concurrency {LOAD_CONCURRENCY} in {:.2} s; peak RSS {} KiB (now {} KiB); 5xx {server_errors}; lost {lost}",
        elapsed.as_secs_f64(),
        peak_kb,
        rss_kb
    );
    assert!(
        peak_kb < LOAD_RSS_LIMIT_KB,
        "peak RSS {peak_kb} KiB over {LOAD_RSS_LIMIT_KB} KiB"
    );
    let lines = log.lines().filter(|l| l.starts_with('{')).count();
    assert_eq!(
        lines,
        setup + LOAD_REQUESTS + LOAD_CONCURRENCY,
        "one log line per request"
    );
    assert!(!log.contains(LOAD_SECRET) && !log.contains(&good[0]) && !log.contains(&bad[0].0));
}

/// Matrix J10: without `--listen`, the sandbox binds a loopback address only.
#[test]
fn the_default_listen_address_is_loopback() {
    use clap::Parser as _;
    let cli = mmjwt::cli::Cli::try_parse_from(["mmjwt", "sandbox"]).unwrap();
    let mmjwt::cli::Command::Sandbox(args) = cli.command else {
        panic!("not the sandbox command");
    };
    assert!(args.listen.ip().is_loopback(), "{}", args.listen);
    assert_eq!(args.listen.to_string(), mmjwt::sandbox::DEFAULT_LISTEN);
}
