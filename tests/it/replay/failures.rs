//! Failures: status classes, redirects, timeouts, refused connections, TLS, cut and non-JSON bodies.

use super::*;

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
    let host = silent.url.trim_start_matches("http://");
    let v = times_out(replay(&silent.url), host);
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
    let (_, err) = transport_failure(replay(&url), &[], "tls");
    let host = srv.url.trim_start_matches("http://");
    assert!(err.contains(&format!("TLS with {host} failed")), "{err}");
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
