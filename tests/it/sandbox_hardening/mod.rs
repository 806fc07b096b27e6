//! The sandbox as an attack surface: it judges every corpus token exactly as `check` does (same
//! `messageId` as the corpus's key-ring verdict), also on randomly mutated tokens; a client that
//! sends its headers slowly (or not at all) is cut off while others are served; 101 header lines
//! get 431; and 5,000 mixed requests at concurrency 16 against the real binary give no 5xx, lose
//! no acknowledged change and stay within a memory bound.
//!
//! In-process checks call the sandbox's `App::answer` (no socket, fast); the header limits and
//! the load need real sockets on 127.0.0.1:0.

mod agreement;
mod header_limits;
mod load;
mod mutations;

use crate::corpus::{self, Case};
use http::{HeaderValue, Request, header};
use mmjwt::problem::Code;
use mmjwt::sandbox::{App, Clock, Config, Mode, SandboxThread};
use mmjwt::sdk::SdkSelection;
use mmjwt::secret::HmacKey;
use mmjwt::serve::RequestBody;
use mmjwt::token::check::{Expectations, Keys, Options, check};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::OnceLock;
use std::time::Duration;

const APP: &str = "test-app-code";

/// What one call through the sandbox answered.
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

/// One request through the sandbox (no socket). `authorization` is raw header bytes; the
/// response must be JSON with a matching Content-Length.
async fn call(
    app: &App,
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
            RequestBody::full(b.to_string())
        }
        None => RequestBody::empty(),
    };
    let res = app.answer(req.body(body).unwrap()).await;
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
    let bytes = res.into_body().into_bytes().expect("a whole body");
    assert_eq!(declared, bytes.len());
    Answer {
        status,
        body: serde_json::from_slice(&bytes).unwrap(),
    }
}

/// A sandbox in allow-all mode at a fixed instant, with at most one key.
fn router(now: i64, leeway: i64, key: Option<(&str, &[u8])>) -> App {
    let mut c = Config::new(Mode::AllowAll, APP);
    c.clock = Clock::Fixed(now);
    c.leeway = leeway;
    if let Some((kid, k)) = key {
        c = c.with_key(kid, HmacKey::new(k));
    }
    mmjwt::sandbox::app(c).unwrap()
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
async fn personalize_then_fetch(app: &App, reg: &str, token: &str) -> Option<[Answer; 2]> {
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

const NOW: i64 = 1_700_000_000;

const KID: &str = "test-key-id";
