//! What the integration tests share: the built binary with a clean environment, the test key,
//! token construction from raw JSON, and (submodules) the test HTTP servers, the exchange with
//! the differential tests' helper programs, the sandbox API client, the sandbox as a child
//! process, the snapshot harness, and the WebDriver client of the browser tests.

#![allow(dead_code)]

pub mod api;
pub mod generated;
pub mod http;
pub mod oracle;
pub mod page_api;
pub mod sandbox_process;
pub mod snapshot;
pub mod splitmix;
pub mod tls;
pub mod webdriver;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mmjwt::secret::HmacKey;

/// The spec's reference key (section 3).
pub const SECRET_HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
/// The spec's reference token for that key.
pub const REFERENCE_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InRlc3Qta2V5LWlkIn0.eyJ0eXAiOiJCZWFyZXIiLCJzdWIiOiJleHQtdXNlci0xIiwiaW5mb2JpcC1hcGkta2V5IjoidGVzdC1hcHAtY29kZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwMDYwLCJqdGkiOiIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEifQ.rNxY48Mvd45hFT0AmFaj05zqgmXmhLv2qO0huEKZ4lM";

/// The binary, with every variable that changes its behaviour removed.
pub fn mmjwt() -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("mmjwt");
    for v in [
        "MMJWT_SECRET",
        "MMJWT_APP_CODE",
        "MMJWT_KEY_ID",
        "MMJWT_BASE_URL",
        "MMJWT_PUSH_REG_ID",
        "MMJWT_PLUGIN",
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TERM",
    ] {
        c.env_remove(v);
    }
    c
}

/// `mmjwt()` with the reference credentials in the environment.
pub fn mmjwt_with_creds() -> assert_cmd::Command {
    let mut c = mmjwt();
    c.env("MMJWT_SECRET", SECRET_HEX)
        .env("MMJWT_APP_CODE", "test-app-code")
        .env("MMJWT_KEY_ID", "test-key-id");
    c
}

/// Where the integration tests' proptest failures are kept: `proptest-regressions/it/` at the
/// crate root, beside the library's, instead of proptest's default for this binary (a second
/// `proptest-regressions/` inside `tests/`, found from `tests/it/main.rs`).
pub fn proptest_persistence() -> Box<dyn proptest::test_runner::FailurePersistence> {
    Box::new(
        proptest::test_runner::FileFailurePersistence::SourceParallel("../proptest-regressions/it"),
    )
}

pub fn b64(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text.as_bytes())
}

/// `b64(header).b64(payload).signature` signed with `key` (or the given literal signature).
pub fn signed(header: &str, payload: &str, key: &HmacKey) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let sig = URL_SAFE_NO_PAD.encode(key.sign(input.as_bytes()));
    format!("{input}.{sig}")
}

pub fn test_key() -> HmacKey {
    mmjwt::secret::Secret::from_hex(SECRET_HEX)
        .unwrap()
        .hmac_key()
}

/// A standard payload with the given times.
pub fn payload(sub: &str, iat: i64, exp: i64) -> String {
    format!(
        r#"{{"typ":"Bearer","sub":"{sub}","infobip-api-key":"test-app-code","iat":{iat},"exp":{exp},"jti":"j-1"}}"#
    )
}

pub const HEADER: &str = r#"{"alg":"HS256","typ":"JWT","kid":"test-key-id"}"#;

/// Stdout of a run that must have succeeded (its stderr is the failure message otherwise).
pub fn stdout_of_success(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// Parses stdout as one JSON value.
pub fn json_out(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// `--json gen --user-id alice --break KIND` plus `extra`, with the test credentials: the
/// object it prints, after a zero exit.
pub fn gen_break_json(kind: &str, extra: &[&str]) -> serde_json::Value {
    let out = mmjwt_with_creds()
        .args(["--json", "gen", "--user-id", "alice", "--break", kind])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{kind}: {out:?}");
    json_out(&out)
}

/// The codes in a `check --json` object's problems.
pub fn codes(v: &serde_json::Value) -> Vec<String> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect()
}

/// Reads what the server sends until it closes the connection or `quiet` passes without a
/// byte: the text read, and whether the server closed.
pub fn read_until_closed(
    s: &mut std::net::TcpStream,
    quiet: std::time::Duration,
) -> (String, bool) {
    use std::io::Read as _;
    s.set_read_timeout(Some(quiet)).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let closed = loop {
        match s.read(&mut buf) {
            Ok(0) => break true,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                break false;
            }
            Err(_) => break true,
        }
    };
    (String::from_utf8_lossy(&out).into_owned(), closed)
}

/// Writes `request` on a fresh connection and reads the reply until the server closes (or 5 s
/// pass): for what a well-behaved HTTP client cannot send.
pub fn raw_exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
    use std::io::{Read as _, Write as _};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The directories of Rust sources, relative to the repository root: the `mmjwt` crate's, the
/// token core's (`crates/core`) and the wire crate's (`crates/wire`).
pub const SOURCE_DIRS: [&str; 3] = ["src", "crates/core/src", "crates/wire/src"];

/// Every Rust source file under [`SOURCE_DIRS`]: its path relative to the repository root (with
/// `/`, e.g. `crates/core/src/token/mod.rs`) and its text, for the tests that read the sources.
pub fn source_files() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in SOURCE_DIRS {
        walk(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .iter()
        .map(|f| {
            let rel = f
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(f).unwrap())
        })
        .collect()
}

/// The tests' own HTTP client for the local servers (plain HTTP on 127.0.0.1, no proxy): an
/// independent client, so a test of a server does not lean on mmjwt's.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap()
}
