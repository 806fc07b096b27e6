//! HTTP/1.1 on the wire as mmjwt's servers speak it: pipelining, keep-alive by version and
//! `Connection`, request body framing (chunked with extensions and trailers, conflicting
//! lengths), malformed heads, the answer's head and a streamed (chunked) answer.

use super::*;

use std::io::Write as _;
use std::net::{SocketAddr, TcpStream};

const USER: &str = "/mobile/1/appinstance/r/user";

/// Sends `request` and reads until the server closes the connection or `quiet` passes without
/// a byte; the text read and whether the server closed.
fn converse(s: &mut TcpStream, request: &[u8], quiet: Duration) -> (String, bool) {
    s.write_all(request).unwrap();
    crate::support::read_until_closed(s, quiet)
}

fn get(version: &str, extra: &str) -> String {
    format!("GET {USER} {version}\r\nHost: x\r\nAuthorization: App {APP}\r\n{extra}\r\n")
}

fn sandbox() -> (SandboxThread, SocketAddr) {
    let sb = SandboxThread::spawn(config(Mode::AllowAll)).unwrap();
    let addr = sb.addr();
    (sb, addr)
}

const QUIET: Duration = Duration::from_millis(400);

#[test]
fn pipelined_requests_are_answered_in_order_on_one_connection() {
    let (_sb, addr) = sandbox();
    let mut s = TcpStream::connect(addr).unwrap();
    let three = format!(
        "{}GET /nope HTTP/1.1\r\nHost: x\r\n\r\n{}",
        get("HTTP/1.1", ""),
        get("HTTP/1.1", "Connection: close\r\n")
    );
    let (text, closed) = converse(&mut s, three.as_bytes(), Duration::from_secs(5));
    assert!(closed, "the third request asked to close: {text}");
    let statuses: Vec<&str> = text
        .match_indices("HTTP/1.1 ")
        .map(|(i, _)| &text[i..i + 12])
        .collect();
    assert_eq!(
        statuses,
        ["HTTP/1.1 200", "HTTP/1.1 404", "HTTP/1.1 200"],
        "{text}"
    );
    assert_eq!(text.matches("connection: close").count(), 1, "{text}");
    assert!(text.contains("\"NOT_FOUND\""), "{text}");
}

#[test]
fn http_1_0_closes_unless_it_asks_for_keep_alive() {
    let (_sb, addr) = sandbox();
    let mut s = TcpStream::connect(addr).unwrap();
    let (text, closed) = converse(&mut s, get("HTTP/1.0", "").as_bytes(), QUIET * 10);
    assert!(text.starts_with("HTTP/1.0 200 OK\r\n"), "{text}");
    assert!(!text.contains("connection:"), "{text}");
    assert!(closed, "HTTP/1.0 without keep-alive: {text}");

    let mut s = TcpStream::connect(addr).unwrap();
    let ask = get("HTTP/1.0", "Connection: keep-alive\r\n");
    for round in 0..2 {
        let (text, closed) = converse(&mut s, ask.as_bytes(), QUIET);
        assert!(
            text.starts_with("HTTP/1.0 200 OK\r\n"),
            "round {round}: {text}"
        );
        assert!(text.contains("\r\nconnection: keep-alive\r\n"), "{text}");
        assert!(!closed, "round {round}: asked for keep-alive");
    }

    // HTTP/1.1 keeps the connection open by default.
    let mut s = TcpStream::connect(addr).unwrap();
    let (text, closed) = converse(&mut s, get("HTTP/1.1", "").as_bytes(), QUIET);
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n") && !closed, "{text}");
}

#[test]
fn chunked_request_bodies_with_extensions_and_trailers_are_read_whole() {
    let (_sb, addr) = sandbox();
    let mut s = TcpStream::connect(addr).unwrap();
    let patch = format!(
        "PATCH {USER} HTTP/1.1\r\nHost: x\r\nAuthorization: App {APP}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
         5;name=value\r\n{{\"fir\r\n10 ; x\r\nstName\":\"Chunk\"}}\r\n0\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n"
    );
    let (text, closed) = converse(&mut s, patch.as_bytes(), QUIET);
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.contains("\"firstName\":\"Chunk\""), "{text}");
    assert!(!closed, "the body was read to its end: {text}");
    // The trailers were consumed: the connection is at the next request.
    let (text, _) = converse(&mut s, get("HTTP/1.1", "").as_bytes(), QUIET);
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.contains("\"firstName\":\"Chunk\""), "{text}");

    // A malformed chunk size is a broken body, and the connection closes.
    let mut s = TcpStream::connect(addr).unwrap();
    let bad = format!(
        "PATCH {USER} HTTP/1.1\r\nHost: x\r\nAuthorization: App {APP}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n"
    );
    let (text, closed) = converse(&mut s, bad.as_bytes(), Duration::from_secs(5));
    assert!(text.starts_with("HTTP/1.1 4"), "{text}");
    assert!(closed && text.contains("connection: close"), "{text}");
}

#[test]
fn malformed_heads_and_framing_get_400_and_close() {
    let (_sb, addr) = sandbox();
    let patch = |headers: &str| {
        format!("PATCH {USER} HTTP/1.1\r\nHost: x\r\nAuthorization: App {APP}\r\n{headers}\r\n{{}}")
    };
    for request in [
        patch("Content-Length: 2\r\nContent-Length: 3\r\n"),
        patch("Content-Length: +2\r\n"),
        patch("Content-Length: 2, 2\r\n"),
        patch("Transfer-Encoding: gzip\r\n"),
        patch("Transfer-Encoding: chunked, gzip\r\n"),
        format!("PATCH {USER} HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        "GARBAGE\r\n\r\n".to_string(),
        "G(T / HTTP/1.1\r\nHost: x\r\n\r\n".to_string(),
        "GET / HTTP/2.0\r\nHost: x\r\n\r\n".to_string(),
        "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n".to_string(),
    ] {
        let mut s = TcpStream::connect(addr).unwrap();
        let (text, closed) = converse(&mut s, request.as_bytes(), Duration::from_secs(5));
        let head = text.split("\r\n\r\n").next().unwrap_or_default();
        let lines: Vec<&str> = head.lines().collect();
        assert_eq!(
            lines[..3],
            [
                "HTTP/1.1 400 Bad Request",
                "connection: close",
                "content-length: 0"
            ],
            "{request:?}: {text}"
        );
        assert!(lines[3].starts_with("date: "), "{text}");
        assert!(text.ends_with("\r\n\r\n") && closed, "{request:?}: {text}");
    }
}

#[test]
fn a_body_left_unread_closes_the_connection_and_says_so() {
    let (_sb, addr) = sandbox();
    // Refused before the body is read: no `100 Continue`, and the connection closes.
    let mut s = TcpStream::connect(addr).unwrap();
    let request = format!(
        "PATCH {USER} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"
    );
    let (text, closed) = converse(&mut s, request.as_bytes(), Duration::from_secs(5));
    assert!(text.starts_with("HTTP/1.1 401"), "{text}");
    assert!(!text.contains("100 Continue"), "{text}");
    assert!(
        closed && text.contains("\r\nconnection: close\r\n"),
        "{text}"
    );

    // A body the handler ignores but that came whole keeps the connection.
    let mut s = TcpStream::connect(addr).unwrap();
    let whole = b"POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789";
    let (text, closed) = converse(&mut s, whole, QUIET);
    assert!(text.starts_with("HTTP/1.1 404") && !closed, "{text}");
    assert!(!text.contains("connection:"), "{text}");
}

#[test]
fn the_answer_head_is_status_line_lower_case_names_length_and_date() {
    let (_sb, addr) = sandbox();
    let mut s = TcpStream::connect(addr).unwrap();
    let (text, _) = converse(&mut s, get("HTTP/1.1", "").as_bytes(), QUIET);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let lines: Vec<&str> = head.split("\r\n").collect();
    assert_eq!(lines[0], "HTTP/1.1 200 OK");
    assert_eq!(lines[1], "content-type: application/json");
    assert_eq!(lines[2], format!("content-length: {}", body.len()));
    let date = regex::Regex::new(
        r"^date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$",
    )
    .unwrap();
    assert!(date.is_match(lines[3]), "{head}");
    assert_eq!(lines.len(), 4, "{head}");
    let v: Value = serde_json::from_str(body).unwrap();
    assert!(v.is_object(), "{body}");

    // HEAD: the same head, no body; the connection is still at the next request.
    let head_request =
        format!("HEAD {USER} HTTP/1.1\r\nHost: x\r\nAuthorization: App {APP}\r\n\r\n");
    let (text, closed) = converse(&mut s, head_request.as_bytes(), QUIET);
    assert!(!closed && text.ends_with("\r\n\r\n"), "{text}");
    assert!(text.contains(lines[2]), "{text}");
}

/// A stream of pieces given up front.
struct Pieces(std::collections::VecDeque<&'static str>);

impl futures_core::Stream for Pieces {
    type Item = mmjwt::serve::Bytes;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(
            self.0
                .pop_front()
                .map(|p| mmjwt::serve::Bytes::from_static(p.as_bytes())),
        )
    }
}

#[test]
fn a_streamed_answer_is_chunked_and_ends_with_the_last_chunk() {
    use mmjwt::serve::{Body, Handler, Limits, Response};
    let handler: Handler = Arc::new(|_req| {
        Box::pin(async {
            let pieces = Pieces(["data: one\n\n", "", "data: two and more\n\n"].into());
            Response::new(Body::stream(Box::pin(pieces)))
        })
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let server = rt.spawn(mmjwt::serve::run(
        listener,
        handler,
        Limits::default(),
        stop_rx,
    ));

    let mut s = TcpStream::connect(addr).unwrap();
    let (text, closed) = converse(&mut s, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", QUIET);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(
        head.starts_with("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ndate: "),
        "{head}"
    );
    assert!(!head.contains("content-length"), "{head}");
    // Sizes in upper-case hex; an empty piece is skipped (it would end the body).
    assert_eq!(
        body,
        "B\r\ndata: one\n\n\r\n14\r\ndata: two and more\n\n\r\n0\r\n\r\n"
    );
    assert!(!closed, "a chunked answer leaves the connection open");

    // HTTP/1.0 has no chunks: the stream's end is the connection's.
    let mut s = TcpStream::connect(addr).unwrap();
    let (text, closed) = converse(&mut s, b"GET / HTTP/1.0\r\n\r\n", Duration::from_secs(5));
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.0 200 OK\r\ndate: "), "{head}");
    assert_eq!(body, "data: one\n\ndata: two and more\n\n");
    assert!(closed, "{text}");
    // Even when it asks for keep-alive, and it is not promised one.
    let mut s = TcpStream::connect(addr).unwrap();
    let ask = b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    let (text, closed) = converse(&mut s, ask, Duration::from_secs(5));
    assert!(text.starts_with("HTTP/1.0 200 OK\r\ndate: "), "{text}");
    assert!(closed && !text.contains("keep-alive"), "{text}");

    stop.send(true).unwrap();
    rt.block_on(server).unwrap();
}
