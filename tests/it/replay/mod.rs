//! `mmjwt replay` against servers in this process on 127.0.0.1:0: a capturing HTTP server
//! (records method, path, query, headers and body; answers as each test programs it) and raw
//! TCP servers for the failure shapes (silence, a cut-short body).

#![allow(clippy::unwrap_used, unreachable_pub)]

mod batch;
mod embedded;
mod failures;
mod input;
mod keepalive;
mod output;
mod tls;
mod userdata;
mod wire;

use assert_cmd::Command;
use mmjwt::secret::Secret;
use mmjwt::token::mint::{Claims, Minter};
use serde_json::{Value, json};

use std::time::Duration;

const APP: &str = "test-app-code";
/// First 10 hex digits of SHA-256("test-app-code").
const APP_HASH: &str = "03936b895e";
const KID: &str = "test-key-id";
const SECRET: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

use crate::support::http::{RawServer, Reply, Server};

/// The binary with a clean environment plus the test credentials, base URL and registration.
fn replay(url: &str) -> Command {
    let mut c = crate::support::mmjwt();
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

/// `fetch-user --user-id alice` plus `extra` and `--json` through `c`, which fails with exit 6
/// (a transport failure) of `kind`: the JSON report and stderr, for the test's own checks.
fn transport_failure(mut c: Command, extra: &[&str], kind: &str) -> (Value, String) {
    let a = c
        .args(["fetch-user", "--user-id", "alice"])
        .args(extra)
        .arg("--json")
        .assert()
        .code(6);
    let v: Value = serde_json::from_str(stdout(&a).trim()).unwrap();
    assert_eq!(v["error"]["kind"], kind);
    (v, stderr(&a))
}

/// `c` against a server at `host` that never answers gives up after `--timeout 300ms` and
/// says so; the JSON report is handed back.
fn times_out(c: Command, host: &str) -> Value {
    let (v, err) = transport_failure(c, &["--timeout", "300ms"], "timeout");
    assert!(
        err.contains(&format!("no answer from {host} within 300ms")),
        "{err}"
    );
    v
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = list
        .iter()
        .map(|(n, v)| ((*n).to_string(), (*v).to_string()))
        .collect();
    v.sort();
    v
}
