//! HTTP/1.1 written byte by byte, so that header names go out spelled as the SDK spells them
//! (`sessionId`, `X-HTTP-Method-Override`) and in the order it sets them, over a plain or a
//! TLS stream alike. The answer is read by `Content-Length`, chunked, or to the end of the
//! connection, and says whether the connection can carry another request
//! ([`Answer::reusable`]). Also the `CONNECT` that opens a tunnel through a proxy.
//! [`super::client`] decides where to connect and wraps the stream.

use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout_at};

/// The largest response head read.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// The answer as read.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub version: &'static str,
    /// In received order, names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Why the body may be incomplete.
    pub body_problem: Option<String>,
    /// The answer ended where its framing says (a length, the last chunk, no body by status)
    /// with nothing after it, whole and within the cap, and the server keeps the connection
    /// open (HTTP/1.1 without `Connection: close`, or HTTP/1.0 with `keep-alive`).
    pub reusable: bool,
}

/// Why no answer arrived.
#[derive(Debug)]
pub(crate) enum Failed {
    Timeout,
    Refused,
    Tls(String),
    Dns(String),
    Connect(String),
    Other(String),
    /// The connection ended (closed or reset) before any byte of the answer: on a kept-alive
    /// connection, the server may have let it go while it was idle.
    Closed(String),
}

/// The request's bytes: request line, headers as given, blank line, body.
pub(crate) fn request_bytes(
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Vec<u8> {
    let mut out = format!("{method} {target} HTTP/1.1\r\n");
    for (name, value) in headers {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if let Some(b) = body {
        bytes.extend_from_slice(b.as_bytes());
    }
    bytes
}

/// A TCP connection to `host:port` (each resolved address in turn) before `deadline`.
pub(crate) async fn connect(host: &str, port: u16, deadline: Instant) -> Result<TcpStream, Failed> {
    let addrs: Vec<std::net::SocketAddr> =
        match timeout_at(deadline, tokio::net::lookup_host((host, port))).await {
            Err(_) => return Err(Failed::Timeout),
            Ok(Err(e)) => return Err(Failed::Dns(e.to_string())),
            Ok(Ok(a)) => a.collect(),
        };
    let mut last = Failed::Dns("no address".into());
    for addr in addrs {
        match timeout_at(deadline, TcpStream::connect(addr)).await {
            Err(_) => return Err(Failed::Timeout),
            Ok(Ok(s)) => {
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = Failed::Refused;
            }
            Ok(Err(e)) => last = Failed::Connect(without_os_error(&e)),
        }
    }
    Err(last)
}

/// Asks the proxy at the other end of `stream` for a tunnel to `authority` (`host:port`);
/// `Ok` once it answers 2xx. `Err(Failed::Connect)` carries the proxy's status line.
pub(crate) async fn tunnel(
    stream: &mut TcpStream,
    authority: &str,
    proxy_authorization: Option<&str>,
    deadline: Instant,
) -> Result<(), Failed> {
    let mut headers = vec![("Host", authority)];
    if let Some(a) = proxy_authorization {
        headers.push(("Proxy-Authorization", a));
    }
    let bytes = request_bytes("CONNECT", authority, &headers, None);
    write(stream, &bytes, deadline).await?;
    let mut buf = Vec::new();
    let head = read_head(stream, &mut buf, deadline).await?;
    if (200..300).contains(&head.status) {
        Ok(())
    } else {
        Err(Failed::Connect(format!(
            "the proxy answered CONNECT with {} {}",
            head.status, head.reason
        )))
    }
}

/// A response head.
struct Head {
    status: u16,
    reason: String,
    version: &'static str,
    headers: Vec<(String, String)>,
    len: usize,
}

async fn write<S: AsyncWrite + Unpin>(
    stream: &mut S,
    bytes: &[u8],
    deadline: Instant,
) -> Result<(), Failed> {
    match timeout_at(deadline, async {
        stream.write_all(bytes).await?;
        stream.flush().await
    })
    .await
    {
        Err(_) => Err(Failed::Timeout),
        Ok(Err(e)) => Err(io_failure(&e)),
        Ok(Ok(())) => Ok(()),
    }
}

/// A TLS handshake failure surfaces as the first read or write failing with `InvalidData`.
fn io_failure(e: &std::io::Error) -> Failed {
    if e.kind() == std::io::ErrorKind::InvalidData {
        Failed::Tls(without_os_error(e))
    } else {
        Failed::Closed(without_os_error(e))
    }
}

/// Reads into `buf` until a complete head (skipping interim 1xx answers but 101).
async fn read_head<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
    deadline: Instant,
) -> Result<Head, Failed> {
    let mut got_any = false;
    loop {
        let mut chunk = vec![0u8; 4096];
        let n = match timeout_at(deadline, stream.read(&mut chunk)).await {
            Err(_) => return Err(Failed::Timeout),
            Ok(Err(e)) => {
                return Err(match io_failure(&e) {
                    Failed::Closed(why) if got_any => Failed::Other(why),
                    f => f,
                });
            }
            Ok(Ok(0)) => {
                let why = "the connection closed before a complete answer".to_string();
                return Err(if got_any {
                    Failed::Other(why)
                } else {
                    Failed::Closed(why)
                });
            }
            Ok(Ok(n)) => n,
        };
        got_any = true;
        buf.extend_from_slice(&chunk[..n]);
        let mut slots = [httparse::EMPTY_HEADER; 128];
        let mut r = httparse::Response::new(&mut slots);
        match r.parse(buf) {
            Ok(httparse::Status::Complete(len)) => {
                let status = r.code.unwrap_or(0);
                if (100..200).contains(&status) && status != 101 {
                    // An interim answer: the real one follows.
                    buf.drain(..len);
                    continue;
                }
                let version = if r.version == Some(0) {
                    "HTTP/1.0"
                } else {
                    "HTTP/1.1"
                };
                let headers: Vec<(String, String)> = r
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_ascii_lowercase(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect();
                let reason = r.reason.unwrap_or("").to_string();
                return Ok(Head {
                    status,
                    reason,
                    version,
                    headers,
                    len,
                });
            }
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD_BYTES => {}
            Ok(httparse::Status::Partial) => {
                return Err(Failed::Other("the answer's head is too large".into()));
            }
            Err(e) => return Err(Failed::Other(format!("not an HTTP/1.1 answer ({e})"))),
        }
    }
}

/// Sends `request` on `stream` and reads the answer, all before `deadline` (`timeout` is
/// named in messages); the body is capped at `max_body` bytes.
pub(crate) async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    request: &[u8],
    deadline: Instant,
    timeout: Duration,
    max_body: usize,
) -> Result<Answer, Failed> {
    write(stream, request, deadline).await?;
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let Head {
        status,
        version,
        headers,
        len: head_len,
        ..
    } = read_head(stream, &mut buf, deadline).await?;
    let mut rest = buf.split_off(head_len);
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
    };
    let chunked = header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    let length: Option<usize> = header("content-length").and_then(|v| v.parse().ok());
    let bodiless = matches!(status, 204 | 304);
    let mut body_problem = None;
    // Reads more of the body into `rest`; false at the end of the connection.
    let mut eof = false;
    let mut read_more = async |rest: &mut Vec<u8>, problem: &mut Option<String>| -> bool {
        let mut chunk = vec![0u8; 16 * 1024];
        match timeout_at(deadline, stream.read(&mut chunk)).await {
            Err(_) => {
                *problem = Some(format!(
                    "no more data within {}",
                    super::client::show_duration(timeout)
                ));
                false
            }
            // A TLS peer that closes without close_notify: the end of a body read to the end.
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => false,
            Ok(Err(e)) => {
                *problem = Some(without_os_error(&e));
                false
            }
            Ok(Ok(0)) => false,
            Ok(Ok(n)) => {
                rest.extend_from_slice(&chunk[..n]);
                true
            }
        }
    };
    let mut body = Vec::new();
    // Whether the body ended where its framing says, with nothing read past it.
    let mut framed_end = false;
    if bodiless {
        framed_end = rest.is_empty();
    } else if chunked {
        'chunks: loop {
            // A size line.
            let line_end = loop {
                if let Some(i) = rest.windows(2).position(|w| w == b"\r\n") {
                    break i;
                }
                if !read_more(&mut rest, &mut body_problem).await {
                    eof = true;
                    break 'chunks;
                }
            };
            let size_text = String::from_utf8_lossy(&rest[..line_end]).into_owned();
            let size_text = size_text.split(';').next().unwrap_or("").trim().to_string();
            let Ok(size) = usize::from_str_radix(&size_text, 16) else {
                body_problem = Some("a chunk size is not hexadecimal".into());
                break;
            };
            rest.drain(..line_end + 2);
            if size == 0 {
                // The trailer section, up to its blank line: read only to know that the
                // connection is at the next answer; the body is whole either way.
                let mut ignored = None;
                loop {
                    if let Some(i) = rest.windows(2).position(|w| w == b"\r\n") {
                        rest.drain(..i + 2);
                        if i == 0 {
                            framed_end = rest.is_empty();
                            break;
                        }
                    } else if !read_more(&mut rest, &mut ignored).await {
                        break;
                    }
                }
                break;
            }
            while rest.len() < size + 2 {
                if !read_more(&mut rest, &mut body_problem).await {
                    body.extend_from_slice(&rest[..rest.len().min(size)]);
                    eof = true;
                    break 'chunks;
                }
            }
            body.extend_from_slice(&rest[..size]);
            rest.drain(..size + 2);
            if body.len() > max_body {
                break;
            }
        }
    } else if let Some(len) = length {
        while rest.len() < len.min(max_body + 1) {
            if !read_more(&mut rest, &mut body_problem).await {
                eof = true;
                break;
            }
        }
        framed_end = rest.len() == len;
        rest.truncate(len);
        body = rest;
        if eof && body.len() < len && body_problem.is_none() {
            body_problem = Some("the connection closed".into());
        }
    } else {
        while rest.len() <= max_body && read_more(&mut rest, &mut body_problem).await {}
        body = rest;
    }
    if chunked && eof && body_problem.is_none() {
        body_problem = Some("the connection closed inside the chunked body".into());
    }
    if body.len() > max_body {
        body.truncate(max_body);
        body_problem = Some(format!(
            "the response body is larger than {} MiB; the rest was not read",
            max_body >> 20
        ));
    }
    let reusable = framed_end
        && !eof
        && body_problem.is_none()
        && status != 101
        && keeps_open(version, header("connection").as_deref());
    Ok(Answer {
        status,
        version,
        headers,
        body,
        body_problem,
        reusable,
    })
}

/// Whether the server keeps the connection open after an answer of `version` with this
/// `Connection` header: the servers' own rule ([`crate::serve::keeps_alive`]).
fn keeps_open(version: &str, connection: Option<&str>) -> bool {
    crate::serve::keeps_alive(
        version == "HTTP/1.1",
        connection.map(str::as_bytes).into_iter(),
    )
}

fn without_os_error(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_go_out_as_spelled_in_order() {
        let b = request_bytes(
            "POST",
            "/p?q=1",
            &[("X-HTTP-Method-Override", "PATCH"), ("sessionId", "s")],
            Some("{}"),
        );
        assert_eq!(
            b,
            b"POST /p?q=1 HTTP/1.1\r\nX-HTTP-Method-Override: PATCH\r\nsessionId: s\r\n\r\n{}"
        );
    }

    #[test]
    fn who_keeps_the_connection_open() {
        assert!(keeps_open("HTTP/1.1", None));
        assert!(keeps_open("HTTP/1.1", Some("Keep-Alive")));
        assert!(!keeps_open("HTTP/1.1", Some("close")));
        assert!(!keeps_open("HTTP/1.1", Some("Upgrade, Close")));
        assert!(!keeps_open("HTTP/1.0", None));
        assert!(keeps_open("HTTP/1.0", Some("keep-alive")));
    }

    /// Reads `answer` as the reply to a GET over an in-memory stream.
    fn read(answer: &[u8]) -> Answer {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (mut client, mut server) = tokio::io::duplex(1 << 16);
            server.write_all(answer).await.unwrap();
            let deadline = Instant::now() + Duration::from_millis(200);
            let bytes = request_bytes("GET", "/", &[], None);
            exchange(
                &mut client,
                &bytes,
                deadline,
                Duration::from_millis(200),
                1 << 20,
            )
            .await
            .unwrap()
        })
    }

    #[test]
    fn only_a_whole_framed_answer_leaves_the_connection_reusable() {
        let length = read(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        assert!(length.reusable && length.body == b"{}");
        let chunked = read(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-T: 1\r\n\r\n",
        );
        assert!(chunked.reusable && chunked.body == b"{}");
        assert!(read(b"HTTP/1.1 204 No Content\r\n\r\n").reusable);
        for not in [
            // Told to close; HTTP/1.0 without keep-alive.
            &b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"[..],
            b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}",
            // Cut short (the deadline passes), bytes past the body, no length, no last chunk.
            b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}",
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}XYZ",
            b"HTTP/1.1 200 OK\r\n\r\n{}",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n",
        ] {
            let a = read(not);
            assert!(!a.reusable, "{}", String::from_utf8_lossy(not));
        }
        let http10 =
            read(b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}");
        assert!(http10.reusable);
    }
}
