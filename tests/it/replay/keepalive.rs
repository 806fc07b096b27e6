//! Kept-alive connections: a batch's sequential calls share one connection over plain HTTP
//! and TLS; an answer that says `Connection: close`, or whose body is cut short, leaves its
//! connection unused; a connection the server let go is replaced, and only a GET is sent
//! again when one goes unanswered.

use super::tls::replay_tls;
use super::*;
use crate::support::tls::{Hangup, KeepAlive};

const OK_JSON: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}";

/// `call` for `users` one after another (`--concurrency 1`), as JSON lines and a summary.
fn batch(url: &str, call: &str, users: usize, extra: &[&str]) -> (Vec<Value>, Value) {
    let ids: String = (0..users).map(|i| format!("user-{i}\n")).collect();
    let a = replay_tls(url)
        .args([call, "--users", "-", "--concurrency", "1", "--json"])
        .args(extra)
        .write_stdin(ids)
        .assert();
    let lines: Vec<Value> = stdout(&a)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), users + 1, "{}", stdout(&a));
    let summary = lines[users]["summary"].clone();
    (lines[..users].to_vec(), summary)
}

#[test]
fn sequential_calls_share_one_connection_over_plain_http_and_tls() {
    for tls in [false, true] {
        for call in ["fetch-user", "personalize"] {
            let srv = KeepAlive::start(tls, OK_JSON, Hangup::Never);
            let (_, summary) = batch(&srv.url, call, 5, &[]);
            assert_eq!(summary["by_status"], json!({"200": 5}), "{tls} {call}");
            assert_eq!(srv.requests().len(), 5, "{tls} {call}");
            assert_eq!(srv.accepts(), 1, "{tls} {call}");
        }
    }
}

#[test]
fn concurrent_calls_keep_no_more_connections_than_the_concurrency() {
    let srv = KeepAlive::start(false, OK_JSON, Hangup::Never);
    let ids: String = (0..40).map(|i| format!("user-{i}\n")).collect();
    replay_tls(&srv.url)
        .args(["fetch-user", "--users", "-", "--concurrency", "4"])
        .write_stdin(ids)
        .assert()
        .success();
    assert_eq!(srv.requests().len(), 40);
    assert!(srv.accepts() <= 4, "{}", srv.accepts());
}

#[test]
fn an_answer_saying_connection_close_is_not_reused() {
    let srv = KeepAlive::start(
        false,
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
        Hangup::Never,
    );
    let (_, summary) = batch(&srv.url, "fetch-user", 3, &[]);
    assert_eq!(summary["by_status"], json!({"200": 3}));
    assert_eq!(srv.accepts(), 3);
}

#[test]
fn an_http_1_0_answer_is_not_reused_unless_it_says_keep_alive() {
    let plain = KeepAlive::start(
        false,
        b"HTTP/1.0 200 OK\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
        Hangup::Never,
    );
    batch(&plain.url, "fetch-user", 3, &[]);
    assert_eq!(plain.accepts(), 3);
    let kept = KeepAlive::start(
        false,
        b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
        Hangup::Never,
    );
    batch(&kept.url, "fetch-user", 3, &[]);
    assert_eq!(kept.accepts(), 1);
}

#[test]
fn a_body_cut_short_leaves_its_connection_unused() {
    // The server keeps the connection open after too few bytes: each call times out reading.
    let srv = KeepAlive::start(
        false,
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\":",
        Hangup::Never,
    );
    let (lines, _) = batch(&srv.url, "fetch-user", 2, &["--timeout", "300ms"]);
    for l in &lines {
        assert_eq!(l["response"]["status"], 200, "{l}");
    }
    assert_eq!(srv.requests().len(), 2);
    assert_eq!(srv.accepts(), 2);
}

#[test]
fn a_connection_the_server_closed_while_idle_is_replaced() {
    for tls in [false, true] {
        let srv = KeepAlive::start(tls, OK_JSON, Hangup::AfterAnswers(1));
        let (_, summary) = batch(&srv.url, "fetch-user", 3, &[]);
        assert_eq!(summary["by_status"], json!({"200": 3}), "{tls}");
        assert_eq!(summary["network_errors"], json!({}), "{tls}");
        assert_eq!(srv.accepts(), 3, "{tls}");
    }
}

#[test]
fn a_get_left_unanswered_on_a_kept_connection_is_sent_once_more_on_a_new_one() {
    for tls in [false, true] {
        let srv = KeepAlive::start(tls, OK_JSON, Hangup::Swallowing(1));
        let (_, summary) = batch(&srv.url, "fetch-user", 2, &[]);
        assert_eq!(summary["by_status"], json!({"200": 2}), "{tls}");
        // The first call, the second swallowed, the second again on a new connection.
        let requests = srv.requests();
        assert_eq!(requests.len(), 3, "{tls}");
        assert!(requests.iter().all(|r| r.starts_with("GET ")), "{tls}");
        assert_eq!(requests[1], requests[2], "{tls}");
        assert_eq!(srv.accepts(), 2, "{tls}");
    }
}

#[test]
fn a_post_left_unanswered_on_a_kept_connection_is_not_sent_twice() {
    for tls in [false, true] {
        let srv = KeepAlive::start(tls, OK_JSON, Hangup::Swallowing(1));
        let (lines, summary) = batch(&srv.url, "personalize", 2, &[]);
        assert_eq!(summary["by_status"], json!({"200": 1}), "{tls}");
        assert_eq!(summary["network_errors"], json!({"other": 1}), "{tls}");
        let failed = lines
            .iter()
            .find(|l| l["response"].is_null())
            .expect("one call fails");
        let message = failed["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("the POST is not sent again, as it may have reached the server"),
            "{message}"
        );
        let requests = srv.requests();
        assert_eq!(requests.len(), 2, "{tls}");
        assert!(requests.iter().all(|r| r.starts_with("POST ")), "{tls}");
        assert_eq!(srv.accepts(), 1, "{tls}");
    }
}
