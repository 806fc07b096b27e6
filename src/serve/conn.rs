//! One HTTP/1.1 connection: request heads read within the header-read timeout and their limits
//! (431 for too many or too large, 400 for a malformed one, 414 for a huge target), the
//! handler's answer in the shape clients and tests already know from hyper, which served
//! before (lower-case names in the answer's order, `date` last, `content-length` or chunked),
//! keep-alive by the request's version and `Connection`, and pipelined requests answered in
//! order. A closing answer says `connection: close`.

use super::accept::stopped;
use super::wire::{Framing, Incoming, Shared, Wire};
use super::{Body, Chunks, Either, Handler, Kind, Limits, RequestBody, Response, first};
use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, StatusCode, Uri, Version};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::sync::{Mutex, watch};

/// The longest request target read (hyper's limit).
const MAX_TARGET: usize = 65_534;
/// How long a closing connection reads on (and drops) what the client still sends, so the
/// answer is not lost to a reset.
const LINGER: Duration = Duration::from_millis(500);
/// The most a client may send ahead while a streamed answer is going out.
const MAX_AHEAD: usize = 64 * 1024;

/// A parsed request head: the request for the handler, and how the connection goes on.
struct Head {
    request: http::Request<RequestBody>,
    keep_alive: bool,
}

/// Serves requests on `stream` until either side closes or `stop` turns true.
pub(super) async fn serve(
    stream: TcpStream,
    handler: Handler,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let wire: Shared = Arc::new(Mutex::new(Wire::new(stream)));
    loop {
        let head = {
            let mut w = wire.lock().await;
            let reading = tokio::time::timeout(
                limits.header_read_timeout,
                read_head(&mut w, &wire, &limits),
            );
            match first(reading, stopped(&mut stop)).await {
                Either::Left(head) => head,
                // An idle connection (or one with only part of a head) is closed at once.
                Either::Right(()) => return,
            }
        };
        let head = match head {
            // Too slow, or gone: closed without an answer.
            Err(_) | Ok(Err(None)) => return,
            Ok(Err(Some(status))) => {
                let mut res = Response::new(Body::empty());
                *res.status_mut() = status;
                let mut w = wire.lock().await;
                let _ = write(&mut w, res, Version::HTTP_11, &Method::GET, false).await;
                linger(&mut w).await;
                return;
            }
            Ok(Ok(head)) => head,
        };
        let version = head.request.version();
        let method = head.request.method().clone();
        let res = handler(head.request).await;
        let mut w = wire.lock().await;
        let body_done = w.drain_buffered();
        let keep_alive = head.keep_alive && body_done && !*stop.borrow();
        let Ok(kept) = write(&mut w, res, version, &method, keep_alive).await else {
            return;
        };
        if !kept {
            linger(&mut w).await;
            return;
        }
    }
}

/// Reads a request head; `Err(Some(status))` to refuse it, `Err(None)` if the connection ends.
async fn read_head(
    w: &mut Wire,
    shared: &Shared,
    limits: &Limits,
) -> Result<Head, Option<StatusCode>> {
    loop {
        if !w.buf.is_empty() {
            if let Some(head) = parse(w, shared, limits)? {
                return Ok(head);
            }
            if w.buf.len() > limits.max_header_bytes {
                return Err(Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE));
            }
        }
        if !w.fill().await {
            return Err(None);
        }
    }
}

/// Parses the buffered head, if complete, and sets up the body's framing (RFC 9112 §6.3).
fn parse(
    w: &mut Wire,
    shared: &Shared,
    limits: &Limits,
) -> Result<Option<Head>, Option<StatusCode>> {
    let bad = Some(StatusCode::BAD_REQUEST);
    let mut slots = vec![httparse::EMPTY_HEADER; limits.max_headers];
    let mut req = httparse::Request::new(&mut slots);
    let len = match req.parse(&w.buf) {
        Ok(httparse::Status::Partial) => return Ok(None),
        Ok(httparse::Status::Complete(len)) if len > limits.max_header_bytes => {
            return Err(Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE));
        }
        Ok(httparse::Status::Complete(len)) => len,
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE));
        }
        Err(_) => return Err(bad),
    };
    let target = req.path.unwrap_or_default();
    if target.len() > MAX_TARGET {
        return Err(Some(StatusCode::URI_TOO_LONG));
    }
    let method = Method::from_bytes(req.method.unwrap_or_default().as_bytes()).map_err(|_| bad)?;
    let uri: Uri = target.parse().map_err(|_| bad)?;
    let http11 = req.version == Some(1);
    let mut expects_continue = false;
    let mut chunked = None;
    let mut length: Option<u64> = None;
    let mut headers = HeaderMap::with_capacity(req.headers.len());
    for h in &*req.headers {
        let name = HeaderName::from_bytes(h.name.as_bytes()).map_err(|_| bad)?;
        let value = HeaderValue::from_bytes(h.value).map_err(|_| bad)?;
        match name {
            header::TRANSFER_ENCODING if !http11 => return Err(bad),
            // Only the last coding counts: a body whose last coding is not chunked has no end.
            header::TRANSFER_ENCODING => chunked = Some(last_token_is(&value, "chunked")),
            header::CONTENT_LENGTH => {
                let n = content_length(&value).ok_or(bad)?;
                if length.is_some_and(|l| l != n) {
                    return Err(bad);
                }
                length = Some(n);
            }
            header::EXPECT => {
                expects_continue = value.as_bytes().eq_ignore_ascii_case(b"100-continue");
            }
            _ => {}
        }
        headers.append(name, value);
    }
    let _ = w.buf.split_to(len);
    let connection = headers.get_all(header::CONNECTION).iter();
    let mut keep_alive = keeps_alive(http11, connection.map(HeaderValue::as_bytes));
    let (framing, declared) = match (chunked, length) {
        (Some(false), _) => return Err(bad),
        (Some(true), cl) => {
            // A length beside chunked is ignored, and the connection is not trusted after it.
            headers.remove(header::CONTENT_LENGTH);
            keep_alive &= cl.is_none();
            (Framing::Chunked(super::wire::Chunk::Size), None)
        }
        (None, Some(n)) => (Framing::Length(n), Some(n)),
        (None, None) => (Framing::Done, Some(0)),
    };
    w.expects_continue =
        expects_continue && http11 && framing != Framing::Length(0) && framing != Framing::Done;
    w.framing = framing;
    let body = RequestBody::Incoming(Incoming::new(Arc::clone(shared), declared));
    let mut request = http::Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    *request.version_mut() = if http11 {
        Version::HTTP_11
    } else {
        Version::HTTP_10
    };
    *request.headers_mut() = headers;
    Ok(Some(Head {
        request,
        keep_alive,
    }))
}

/// A `Content-Length` value: digits only.
fn content_length(value: &HeaderValue) -> Option<u64> {
    let v = value.as_bytes();
    if v.is_empty() || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(v).ok()?.parse().ok()
}

/// Whether a connection stays open after a message of HTTP/1.1 (`http11`) or HTTP/1.0 with
/// these `Connection` values (RFC 9112 §9.3): HTTP/1.1 unless one says `close`, HTTP/1.0 only
/// when one says `keep-alive`. The servers read it from requests, the replay client from
/// answers.
pub(crate) fn keeps_alive<'a>(http11: bool, connection: impl Iterator<Item = &'a [u8]>) -> bool {
    let mut keep = http11;
    for value in connection {
        if has_token(value, "close") {
            return false;
        }
        keep |= has_token(value, "keep-alive");
    }
    keep
}

/// Whether a comma-separated header value lists `token` (case-insensitive).
fn has_token(value: &[u8], token: &str) -> bool {
    value
        .split(|&b| b == b',')
        .any(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
}

/// Whether the last item of a comma-separated header value is `token`.
fn last_token_is(value: &HeaderValue, token: &str) -> bool {
    value
        .as_bytes()
        .rsplit(|&b| b == b',')
        .next()
        .is_some_and(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
}

/// Writes `res` as the answer to a `method` request of `version`; `Ok(true)` if the connection
/// stays open after it. A closing answer says so (`connection: close`) to an HTTP/1.1 client;
/// a kept-alive HTTP/1.0 one is told `connection: keep-alive`.
async fn write(
    w: &mut Wire,
    res: Response,
    version: Version,
    method: &Method,
    keep_alive: bool,
) -> std::io::Result<bool> {
    let (mut parts, body) = res.into_parts();
    let status = parts.status;
    let says = |headers: &HeaderMap, token| {
        headers
            .get_all(header::CONNECTION)
            .iter()
            .any(|v| has_token(v.as_bytes(), token))
    };
    let http10 = version == Version::HTTP_10;
    // Statuses whose answers have no body, and so no length either.
    let can_have_length = !status.is_informational()
        && !matches!(status, StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED);
    let bodiless = *method == Method::HEAD || !can_have_length;
    // HTTP/1.0 has no chunks: a streamed answer ends with the connection.
    let ends_connection = http10 && !bodiless && matches!(body.0, Kind::Stream(_));
    let keep_alive = keep_alive && !ends_connection && !says(&parts.headers, "close");
    if http10 {
        if keep_alive && !says(&parts.headers, "keep-alive") {
            parts
                .headers
                .append(header::CONNECTION, HeaderValue::from_static("keep-alive"));
        }
    } else if !keep_alive && !says(&parts.headers, "close") {
        parts
            .headers
            .append(header::CONNECTION, HeaderValue::from_static("close"));
    }
    let (whole, mut chunks) = match body.0 {
        Kind::Full(b) => (b.filter(|b| !b.is_empty()), None),
        Kind::Stream(s) => (None, Some(s)),
    };

    let mut out = Vec::with_capacity(256 + whole.as_ref().map_or(0, Bytes::len));
    out.extend_from_slice(if http10 { b"HTTP/1.0 " } else { b"HTTP/1.1 " });
    out.extend_from_slice(status.as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(status.canonical_reason().unwrap_or("<none>").as_bytes());
    out.extend_from_slice(b"\r\n");
    let mut wrote_length = false;
    for name in parts.headers.keys() {
        let mut values = parts.headers.get_all(name).iter();
        if *name == header::CONTENT_LENGTH {
            // An empty answer's `content-length: 0` goes after the other headers, but for
            // `HEAD`, whose length is the `GET` answer's.
            if whole.is_none() && chunks.is_none() && *method != Method::HEAD {
                continue;
            }
            wrote_length = true;
            if let Some(v) = values.next() {
                line(&mut out, name, v.as_bytes());
            }
        } else if *name == header::CONNECTION {
            // One line: its values are items of one list.
            line(&mut out, name, &join(values));
        } else {
            for v in values {
                line(&mut out, name, v.as_bytes());
            }
        }
    }
    let raw_stream = wrote_length;
    if !wrote_length {
        match (&whole, &chunks) {
            (_, Some(_)) if http10 || bodiless => {}
            (_, Some(_)) => out.extend_from_slice(b"transfer-encoding: chunked\r\n"),
            (None, None) if can_have_length && *method != Method::HEAD => {
                out.extend_from_slice(b"content-length: 0\r\n");
            }
            (Some(b), None) if can_have_length => {
                out.extend_from_slice(b"content-length: ");
                out.extend_from_slice(itoa::Buffer::new().format(b.len()).as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            _ => {}
        }
    }
    if !parts.headers.contains_key(header::DATE) {
        out.extend_from_slice(b"date: ");
        push_date(&mut out);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    if bodiless {
        chunks = None;
    } else if let Some(b) = &whole {
        out.extend_from_slice(b);
    }
    w.stream.write_all(&out).await?;
    let Some(mut chunks) = chunks else {
        return Ok(keep_alive);
    };
    // Without chunked framing (HTTP/1.0, or a length the handler stated) the stream's end is
    // the connection's.
    let framed = !http10 && !raw_stream;
    send_stream(w, &mut chunks, framed).await?;
    Ok(keep_alive && framed)
}

/// Sends a stream's pieces as they come, as chunks when `framed` (sizes in upper-case hex, the
/// last chunk at the end; an empty piece is skipped, since it would end the body).
async fn send_stream(w: &mut Wire, chunks: &mut Chunks, framed: bool) -> std::io::Result<()> {
    loop {
        // The client's side is read meanwhile, so a client that went away ends the stream.
        let next = std::future::poll_fn(|cx| chunks.as_mut().poll_next(cx));
        let next = match first(next, read_ahead(w)).await {
            Either::Left(next) => next,
            Either::Right(true) => continue,
            Either::Right(false) => return Err(std::io::ErrorKind::ConnectionAborted.into()),
        };
        let Some(data) = next else { break };
        if data.is_empty() {
            continue;
        }
        if framed {
            let mut piece = format!("{:X}\r\n", data.len()).into_bytes();
            piece.extend_from_slice(&data);
            piece.extend_from_slice(b"\r\n");
            w.stream.write_all(&piece).await?;
        } else {
            w.stream.write_all(&data).await?;
        }
    }
    if framed {
        w.stream.write_all(b"0\r\n\r\n").await?;
    }
    Ok(())
}

/// Reads what the client sends ahead (a next request) while an answer streams; false once it
/// is gone or has sent more than [`MAX_AHEAD`].
async fn read_ahead(w: &mut Wire) -> bool {
    w.buf.len() < MAX_AHEAD && w.fill().await
}

/// Appends the `date` value for now. Formatting a date costs more than the rest of an
/// answer's head, so each thread formats it once a second (as hyper did).
fn push_date(out: &mut Vec<u8>) {
    thread_local! {
        static LAST: std::cell::RefCell<(u64, String)> =
            const { std::cell::RefCell::new((u64::MAX, String::new())) };
    }
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    LAST.with_borrow_mut(|(secs, text)| {
        if *secs != now {
            *secs = now;
            *text = mmjwt_core::time::http_date(now);
        }
        out.extend_from_slice(text.as_bytes());
    });
}

fn line(out: &mut Vec<u8>, name: &HeaderName, value: &[u8]) {
    out.extend_from_slice(name.as_str().as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value);
    out.extend_from_slice(b"\r\n");
}

fn join<'a>(values: impl Iterator<Item = &'a HeaderValue>) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, v) in values.enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        out.extend_from_slice(v.as_bytes());
    }
    out
}

/// Ends a connection after a closing answer: the write side first, so the client reads the
/// answer to its end, then whatever it still sends is read and dropped for a moment (closing
/// with unread bytes would reset the connection and could lose the answer).
async fn linger(w: &mut Wire) {
    let _ = w.stream.shutdown().await;
    let mut sink = [0u8; 8 * 1024];
    let _ = tokio::time::timeout(LINGER, async {
        while matches!(w.stream.read(&mut sink).await, Ok(n) if n > 0) {}
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::keeps_alive;

    #[test]
    fn keep_alive_by_version_and_every_connection_value() {
        let values = |v: &'static [&'static str]| v.iter().map(|s| s.as_bytes());
        assert!(keeps_alive(true, values(&[])));
        assert!(!keeps_alive(false, values(&[])));
        assert!(!keeps_alive(true, values(&["upgrade", "Close"])));
        assert!(keeps_alive(false, values(&["foo, Keep-Alive"])));
        // Any value may say it, as hyper reads them; `close` anywhere wins.
        assert!(keeps_alive(false, values(&["keep-alive", "foo"])));
        assert!(!keeps_alive(false, values(&["keep-alive", "close"])));
    }
}
