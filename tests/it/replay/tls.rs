//! HTTPS and proxies: the same HTTP/1.1 bytes over TLS (header names as the SDK spells them),
//! the system-store trust (`SSL_CERT_FILE` for the test certificate), a `CONNECT` tunnel and
//! a plain-HTTP proxy from the environment, loopback never proxied, no redirects, timeouts.

use super::*;
use crate::support::tls::{Proxy, TlsServer, trust};

const OK_JSON: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}";

/// `replay` against `url` trusting the test certificate, with no proxy from the machine.
pub(super) fn replay_tls(url: &str) -> Command {
    let mut c = replay(url);
    trust(&mut c);
    for v in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
        "no_proxy",
        "NO_PROXY",
    ] {
        c.env_remove(v);
    }
    c
}

#[test]
fn over_tls_header_names_keep_the_sdks_spelling_and_order() {
    let srv = TlsServer::start(OK_JSON);
    let tok = good_token("alice");
    let a = replay_tls(&srv.url)
        .args(["save-user", "--token", &tok, "--installation-id", "inst-1"])
        .args(["--session-id", "sess-1", "--data", r#"{"firstName":"F"}"#])
        .assert()
        .success();
    assert_eq!(stdout(&a), "HTTP/1.1 200 OK\n{\"a\":1}\n");
    let got = srv.received();
    let head = got.split("\r\n\r\n").next().unwrap();
    let names: Vec<&str> = head
        .lines()
        .skip(1)
        .map(|l| l.split_once(':').unwrap().0)
        .collect();
    assert_eq!(
        names,
        [
            "X-HTTP-Method-Override",
            "Authorization",
            "applicationcode",
            "pushregistrationid",
            "foreground",
            "sessionId",
            "installationid",
            "Accept",
            "User-Agent",
            "Content-Length",
            "Content-Type",
            "Host",
            "Connection",
            "Accept-Encoding",
        ]
    );
    assert!(head.starts_with("POST /mobile/1/appinstance/reg-1/user HTTP/1.1\r\n"));
    assert!(head.contains(&format!("\r\nHost: 127.0.0.1:{}\r\n", srv.port)));
}

#[test]
fn a_redirect_over_tls_is_the_answer() {
    let srv = TlsServer::start(
        b"HTTP/1.1 302 Found\r\nLocation: https://127.0.0.1:1/stolen\r\nContent-Length: 0\r\n\r\n",
    );
    let a = replay_tls(&srv.url)
        .args(["fetch-user", "--user-id", "alice"])
        .assert()
        .code(3);
    assert!(
        stdout(&a).starts_with("HTTP/1.1 302 Found\n"),
        "{}",
        stdout(&a)
    );
    assert_eq!(srv.received().matches("GET ").count(), 1);
}

#[test]
fn with_no_trusted_roots_the_failure_says_so() {
    let srv = TlsServer::start(OK_JSON);
    let mut c = replay_tls(&srv.url);
    c.env("SSL_CERT_FILE", "/dev/null");
    let (_, err) = transport_failure(c, &[], "tls");
    assert!(
        err.contains(&format!(
            "TLS with 127.0.0.1:{} failed: no trusted root certificates found",
            srv.port
        )),
        "{err}"
    );
    assert_eq!(srv.received(), "");
}

#[test]
fn a_certificate_for_another_name_is_refused() {
    // The certificate names 127.0.0.1, localhost and proxied.example; the proxy leads to the
    // same server under another name.
    let srv = TlsServer::start(OK_JSON);
    let proxy = Proxy::start(b"HTTP/1.1 500 Not Here\r\nContent-Length: 0\r\n\r\n");
    let mut c = replay_tls(&format!("https://elsewhere.example:{}", srv.port));
    c.env("HTTPS_PROXY", &proxy.url);
    let (_, err) = transport_failure(c, &[], "tls");
    assert!(
        err.contains(&format!("TLS with elsewhere.example:{} failed", srv.port))
            && err.contains("certificate"),
        "{err}"
    );
    assert_eq!(proxy.heads().len(), 1);
    assert_eq!(srv.received(), "");
}

#[test]
fn a_tls_server_that_never_answers_times_out() {
    let silent = RawServer::start(None, Duration::from_secs(20));
    let url = silent.url.replace("http://", "https://");
    let host = silent.url.trim_start_matches("http://");
    times_out(replay_tls(&url), host);
}

#[test]
fn https_goes_through_a_connect_tunnel_from_the_environment() {
    let srv = TlsServer::start(OK_JSON);
    let proxy = Proxy::start(b"HTTP/1.1 500 Not Here\r\nContent-Length: 0\r\n\r\n");
    let url = format!("https://proxied.example:{}", srv.port);
    let tok = good_token("alice");
    let a = replay_tls(&url)
        .env("HTTPS_PROXY", &proxy.url)
        .env("NO_PROXY", "other.example")
        .args(["fetch-user", "--token", &tok])
        .assert()
        .success();
    assert_eq!(stdout(&a), "HTTP/1.1 200 OK\n{\"a\":1}\n");
    let heads = proxy.heads();
    assert_eq!(heads.len(), 1);
    assert_eq!(
        heads[0],
        format!(
            "CONNECT proxied.example:{p} HTTP/1.1\r\nHost: proxied.example:{p}\r\n\r\n",
            p = srv.port
        )
    );
    // The credential travels inside the tunnel only.
    assert!(!heads[0].contains(&tok));
    let got = srv.received();
    assert!(
        got.contains(&format!("\r\nHost: proxied.example:{}\r\n", srv.port)),
        "{got}"
    );
}

#[test]
fn plain_http_asks_the_proxy_for_the_absolute_url() {
    let proxy = Proxy::start(OK_JSON);
    let a = replay_tls("http://proxied.example:8080")
        .env("http_proxy", &proxy.url)
        .args(["fetch-user", "--user-id", "alice"])
        .assert()
        .success();
    assert_eq!(stdout(&a), "HTTP/1.1 200 OK\n{\"a\":1}\n");
    let heads = proxy.heads();
    assert_eq!(heads.len(), 1);
    assert!(
        heads[0].starts_with("GET http://proxied.example:8080/mobile/1/appinstance/reg-1/user?"),
        "{}",
        heads[0]
    );
}

#[test]
fn loopback_and_no_proxy_hosts_never_go_through_the_proxy() {
    let srv = TlsServer::start(OK_JSON);
    let proxy = Proxy::start(OK_JSON);
    replay_tls(&srv.url)
        .env("HTTPS_PROXY", &proxy.url)
        .args(["fetch-user", "--user-id", "alice"])
        .assert()
        .success();
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    // localhost is loopback too; the test certificate names it.
    replay_tls(&format!("https://localhost:{}", srv.port))
        .env("https_proxy", format!("http://127.0.0.1:{dead}"))
        .args(["fetch-user", "--user-id", "alice"])
        .assert()
        .success();
    assert!(proxy.heads().is_empty());
    assert_eq!(srv.received().matches("GET ").count(), 2);
}

#[test]
fn an_unreachable_proxy_is_named_without_its_password() {
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let a = replay_tls("https://proxied.example")
        .env(
            "HTTPS_PROXY",
            format!("http://user:hush-hush@127.0.0.1:{dead}"),
        )
        .args(["fetch-user", "--user-id", "alice"])
        .assert()
        .code(6);
    let err = stderr(&a);
    assert!(
        err.contains(&format!(
            "cannot connect to the proxy 127.0.0.1:{dead} (HTTPS_PROXY): connection refused"
        )),
        "{err}"
    );
    assert!(!err.contains("hush"));
}
