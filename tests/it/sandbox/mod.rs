//! `mmjwt sandbox`: every mode × call × kind of authorization, every refusal with its status and
//! messageId, both save-user styles, the data model, limits, persistence across restarts and a
//! SIGKILL of the binary, a bounded concurrent load, and the HTTP/1.1 wire (`wire`). All traffic
//! stays on 127.0.0.1, every server binds port 0, and every response is checked for JSON with a
//! correct Content-Length.

mod binary;
mod load;
mod model;
mod modes;
mod refusals;
mod routing;
mod sockets;
mod state;
mod wire;

use crate::support::api::{Api, Auth, Reply, identity};
use crate::support::sandbox_process::Running;
use mmjwt::sandbox::{Clock, Config, LogFormat, Mode, Sandbox, SandboxThread};
use mmjwt::secret::{HmacKey, Secret};
use mmjwt::token::mint::{Claims, Minter};
use serde_json::{Value, json};

use std::process::Command;
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

async fn start(cfg: Config) -> (Sandbox, Api) {
    let sb = Sandbox::start(cfg, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let api = Api::new(sb.url());
    (sb, api)
}

const APP_AUTH: Auth = Auth::App(APP);
