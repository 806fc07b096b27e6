//! Fuzzes the sandbox's request handling (routing, the Authorization header, the token check,
//! query flags, body parsing, the data model) in-process through `App::answer`, on a
//! current-thread runtime made once. Each input is a short session of up to four requests
//! against a fresh sandbox (so personalize, save and depersonalize meet each other's state),
//! in one of the three modes.
//!
//! Input: a mode byte, then records. A record is two control bytes (method and path; auth kind
//! and flags) and five length-prefixed fields: the push registration id, the query, the
//! Authorization credential, extra header lines ("name: value\n") and the body. The auth kinds
//! include an App header with the right code and a correctly signed token for a fuzzed `sub`,
//! so the fuzzer gets past authentication to the body and the model.
//!
//! Invariants: no panic; every response is JSON with `Content-Type: application/json` and a
//! matching `Content-Length`; every non-2xx answer is the Infobip envelope with a non-empty
//! `messageId` and `text`; a 401 never repeats an `App`/`Bearer` credential of 16 bytes or more.
#![no_main]

use http::{HeaderName, HeaderValue, Method, Request, Uri, header};
use libfuzzer_sys::fuzz_target;
use mmjwt::sandbox::{App, Clock, Config, Mode};
use mmjwt::secret::HmacKey;
use mmjwt::serve::RequestBody;
use mmjwt::token::mint::{Claims, Minter};
use serde_json::Value;
use std::sync::OnceLock;

const KEY: &[u8; 32] = b"fuzz-key-fuzz-key-fuzz-key-fuzz!";
const APP: &str = "fuzz-app";
const NOW: i64 = 1_700_000_000;

const METHODS: [&str; 8] = [
    "GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS", "FUZZ",
];
const PATHS: [&str; 8] = [
    "user",
    "user",
    "personalize",
    "depersonalize",
    "repersonalize",
    "user/extra",
    "",
    "nothing",
];

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

/// Reads the input front to back; running out yields empty fields.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    /// A field with a one-byte length (a two-byte one when `wide`).
    fn field(&mut self, wide: bool) -> &'a [u8] {
        let mut n = usize::from(self.byte().unwrap_or(0));
        if wide {
            n = n << 8 | usize::from(self.byte().unwrap_or(0));
        }
        let n = n.min(self.0.len());
        let (f, rest) = self.0.split_at(n);
        self.0 = rest;
        f
    }
}

fn sandbox(byte: u8) -> App {
    let mode = match byte % 3 {
        0 => Mode::AllowAll,
        1 => Mode::JwtOnly,
        _ => Mode::Disallow,
    };
    let mut c = Config::new(mode, APP).with_key("k1", HmacKey::new(KEY));
    c.clock = Clock::Fixed(NOW);
    c.strict_installations = byte & 4 != 0;
    c.reject_replayed_jti = byte & 8 != 0;
    mmjwt::sandbox::app(c).expect("a sandbox")
}

fn token(sub: &str, exp: i64) -> String {
    Minter::new("k1", HmacKey::new(KEY))
        .mint(&Claims {
            sub,
            app_code: APP,
            iat: NOW - 10,
            exp,
            jti: "fuzz-jti",
            iss: None,
            extra: &[],
        })
        .0
}

/// Builds one request from a record; `None` when the bytes make no valid request at all.
fn request(c: &mut Cursor<'_>) -> Option<(Request<RequestBody>, Vec<u8>)> {
    let shape = c.byte()?;
    let auth = c.byte()?;
    let reg = c.field(false);
    let query = c.field(false);
    let credential = c.field(false);
    let headers = c.field(false);
    let body = c.field(true);

    let method = Method::from_bytes(METHODS[usize::from(shape & 7)].as_bytes()).ok()?;
    let reg = String::from_utf8_lossy(reg);
    let mut path = format!(
        "/mobile/1/appinstance/{reg}/{}",
        PATHS[usize::from(shape >> 3 & 7)]
    );
    if !query.is_empty() {
        path.push('?');
        path.push_str(&String::from_utf8_lossy(query));
    }
    let uri: Uri = path.parse().ok()?;
    let mut req = Request::builder().method(method).uri(uri);

    let sub = String::from_utf8_lossy(credential);
    let value: Option<Vec<u8>> = match auth & 7 {
        0 => None,
        1 => Some(format!("App {APP}").into_bytes()),
        2 => Some([b"App ".as_slice(), credential].concat()),
        3 => Some(format!("Bearer {}", token(&sub, NOW + 60)).into_bytes()),
        4 => Some(format!("Bearer {}", token(&sub, NOW - 1)).into_bytes()),
        5 => Some([b"Bearer ".as_slice(), credential].concat()),
        _ => Some(credential.to_vec()),
    };
    let mut sent = Vec::new();
    if let Some(v) = value {
        let v = HeaderValue::from_bytes(&v).ok()?;
        // Only `App …`/`Bearer …` values are checked for echoes: a raw value can spell part of
        // a fixed refusal text (the fuzzer found "rization header\"}}").
        if auth & 7 <= 5 {
            sent = v.as_bytes().to_vec();
        }
        req = req.header(header::AUTHORIZATION, v);
        if auth & 8 != 0 {
            // A second Authorization header.
            req = req.header(header::AUTHORIZATION, HeaderValue::from_static("App x"));
        }
    }
    for line in headers.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(&line[..colon]),
            HeaderValue::from_bytes(line[colon + 1..].trim_ascii()),
        ) else {
            continue;
        };
        req = req.header(name, value);
    }
    if auth & 0x10 != 0 {
        req = req.header("x-http-method-override", "PATCH");
    }
    let body = if auth & 0x20 != 0 {
        // Over the 64 KiB limit.
        body.iter()
            .copied()
            .cycle()
            .take(70_000)
            .collect::<Vec<u8>>()
    } else {
        body.to_vec()
    };
    Some((req.body(RequestBody::full(body)).ok()?, sent))
}

async fn session(data: &[u8]) {
    let mut c = Cursor(data);
    let Some(mode) = c.byte() else {
        return;
    };
    let app = sandbox(mode);
    for _ in 0..4 {
        let Some((req, credential)) = request(&mut c) else {
            return;
        };
        let head = req.method() == Method::HEAD;
        let res = app.answer(req).await;
        let status = res.status();
        assert_eq!(
            res.headers()
                .get(header::CONTENT_TYPE)
                .map(HeaderValue::as_bytes),
            Some(b"application/json".as_slice()),
            "{status}"
        );
        let declared: usize = res.headers()[header::CONTENT_LENGTH]
            .to_str()
            .expect("ASCII")
            .parse()
            .expect("a number");
        let bytes = res.into_body().into_bytes().expect("a whole body");
        if head {
            // HEAD is answered as GET without the body (the length is the GET body's).
            assert!(bytes.is_empty());
            continue;
        }
        assert_eq!(declared, bytes.len());
        let v: Value = serde_json::from_slice(&bytes).expect("JSON");
        if !status.is_success() {
            let e = &v["requestError"]["serviceException"];
            let id = e["messageId"].as_str().expect("a messageId");
            let text = e["text"].as_str().expect("a text");
            assert!(!id.is_empty() && !text.is_empty(), "{v}");
        }
        // An authentication refusal never repeats the credential. (Other answers may quote
        // body values, which the fuzzer can make equal to anything; a quoted claim value cannot
        // contain the whole token that encodes it.)
        if status == 401 && credential.len() >= 16 {
            assert!(
                !bytes
                    .windows(credential.len())
                    .any(|w| w == credential.as_slice()),
                "the response repeats the Authorization header"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    runtime().block_on(session(data));
});
