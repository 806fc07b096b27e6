//! Raw sockets: what a well-behaved client cannot send.

use super::*;

use crate::support::raw_exchange;

#[test]
fn sandbox_thread_serves_synchronous_callers_and_enforces_limits() {
    let mut cfg = config(Mode::AllowAll);
    cfg.limits.request_timeout = Duration::from_millis(300);
    let sb = SandboxThread::spawn(cfg).unwrap();
    assert!(sb.url().starts_with("http://127.0.0.1:"));
    let addr = sb.addr();

    let ok = raw_exchange(
        addr,
        b"GET /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: App test-app\r\nConnection: close\r\n\r\n",
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");

    // A chunked body that never says how long it is: cut off at 64 KiB.
    let mut req = b"PATCH /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: App test-app\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..9 {
        req.extend_from_slice(format!("2000\r\n{}\r\n", "a".repeat(0x2000)).as_bytes());
    }
    req.extend_from_slice(b"0\r\n\r\n");
    let r = raw_exchange(addr, &req);
    assert!(r.starts_with("HTTP/1.1 413"), "{r}");
    assert!(r.contains("\"BODY_TOO_LARGE\"") && r.contains("content-type: application/json"));
    assert!(
        r.contains("connection: close"),
        "the unread rest is not waited for: {r}"
    );

    // A body that stops half-way: 408 in the envelope after the request timeout.
    let r = raw_exchange(
        addr,
        b"PATCH /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: App test-app\r\nContent-Length: 20\r\n\r\n{\"a\"",
    );
    assert!(r.starts_with("HTTP/1.1 408"), "{r}");
    assert!(r.contains("\"REQUEST_TIMEOUT\""), "{r}");

    // Oversized header blocks are refused by the connection itself (431, no body).
    let big = format!(
        "GET /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "b".repeat(20 * 1024)
    );
    let r = raw_exchange(addr, big.as_bytes());
    assert!(r.starts_with("HTTP/1.1 431"), "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_the_request_in_flight_and_refuses_new_ones() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let (sb, _api) = start(config(Mode::AllowAll)).await;
    let addr = sb.addr();
    let body = br#"{"firstName":"Last"}"#;
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    // `Expect: 100-continue` makes the server say when the handler starts reading the body, so
    // the request is known to be in flight (head parsed) before the shutdown begins; without
    // it, a shutdown that wins the race closes the connection as idle.
    let head = format!(
        "PATCH /mobile/1/appinstance/r/user HTTP/1.1\r\nHost: x\r\nAuthorization: App {APP}\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let mut interim = Vec::new();
    while !interim.ends_with(b"\r\n\r\n") {
        assert!(
            interim.len() < 1024,
            "{}",
            String::from_utf8_lossy(&interim)
        );
        let b = tokio::time::timeout(Duration::from_secs(5), conn.read_u8())
            .await
            .unwrap()
            .unwrap();
        interim.push(b);
    }
    assert!(interim.starts_with(b"HTTP/1.1 100"), "{interim:?}");
    conn.write_all(&body[..5]).await.unwrap();

    let stopping = tokio::spawn(sb.shutdown());
    // Once the listener is gone, new connections are refused (bounded wait).
    let deadline = Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(Instant::now() < deadline, "still accepting after shutdown");
        tokio::task::yield_now().await;
    }
    // The request already in progress still completes.
    conn.write_all(&body[5..]).await.unwrap();
    let mut reply = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), conn.read_to_end(&mut reply))
        .await
        .unwrap()
        .unwrap();
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"firstName\":\"Last\""), "{reply}");
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}
