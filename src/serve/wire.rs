//! One connection's socket and the bytes read from it but not used yet, shared by the
//! connection (heads, answers) and the body of the request in progress ([`Incoming`]): the
//! body's framing (RFC 9112 §6: a length, or chunked with extensions ignored and trailers
//! dropped), reading it, and the `100 Continue` a client that asked for one waits for.
//!
//! The handler's future outlives any borrow of the connection, so the body shares the socket
//! behind an async lock; everything a read leaves behind (buffered bytes, where the framing
//! stands) lives in [`Wire`], so a body read that is dropped half-way (a request timeout)
//! leaves the connection in a state it can tell apart from a finished body.

use super::ReadError;
use bytes::{Bytes, BytesMut};
use std::fmt;
use std::sync::Arc;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

/// The longest chunk-size line, extensions included.
const MAX_CHUNK_LINE: usize = 4096;
/// The most trailer bytes read (and dropped) after a chunked body.
const MAX_TRAILER_BYTES: usize = 16 * 1024;

/// The socket and what was read from it but not used yet. Not `Debug`: the buffer may hold
/// tokens and secrets.
pub(super) struct Wire {
    pub(super) stream: TcpStream,
    pub(super) buf: BytesMut,
    /// Where the current request's body stands.
    pub(super) framing: Framing,
    /// The client sent `Expect: 100-continue` and has not been told to go on yet.
    pub(super) expects_continue: bool,
}

pub(super) type Shared = Arc<Mutex<Wire>>;

/// The body still to come of the request in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Framing {
    /// This many bytes.
    Length(u64),
    Chunked(Chunk),
    /// Read to its end: the connection is at the next request.
    Done,
    /// Malformed, or the connection failed inside it: it cannot carry another request.
    Broken,
}

/// Where a chunked body stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Chunk {
    /// At a chunk-size line.
    Size,
    /// Inside a chunk, with this many bytes left.
    Data(u64),
    /// At the line end after a chunk's data.
    DataEnd,
    /// In the trailer section, with this many bytes of it read.
    Trailers(usize),
}

/// What the bytes buffered so far give.
enum Step {
    Data(Bytes),
    /// More bytes are needed.
    More,
    End,
    Bad,
}

impl Wire {
    pub(super) fn new(stream: TcpStream) -> Wire {
        Wire {
            stream,
            buf: BytesMut::with_capacity(8 * 1024),
            framing: Framing::Done,
            expects_continue: false,
        }
    }

    /// Reads more bytes into the buffer; `false` at the end of the connection or on an error.
    /// Cancel-safe: bytes are either in the buffer or still in the socket.
    pub(super) async fn fill(&mut self) -> bool {
        self.buf.reserve(8 * 1024);
        matches!(self.stream.read_buf(&mut self.buf).await, Ok(n) if n > 0)
    }

    /// Consumes what the buffer holds of the body, without reading the socket; true if the
    /// body ended there (so the connection can carry another request).
    pub(super) fn drain_buffered(&mut self) -> bool {
        self.expects_continue = false;
        loop {
            match self.step() {
                Step::Data(_) => {}
                Step::End => return true,
                Step::More | Step::Bad => return false,
            }
        }
    }

    /// The next piece of the body from the buffer.
    fn step(&mut self) -> Step {
        loop {
            match self.framing {
                Framing::Done => return Step::End,
                Framing::Broken => return Step::Bad,
                Framing::Length(0) => self.framing = Framing::Done,
                Framing::Length(n) => return self.data(n, Framing::Length),
                Framing::Chunked(Chunk::Data(0)) => self.framing = Framing::Chunked(Chunk::DataEnd),
                Framing::Chunked(Chunk::Data(n)) => {
                    return self.data(n, |left| Framing::Chunked(Chunk::Data(left)));
                }
                Framing::Chunked(chunk) => match self.chunk_line(chunk) {
                    Some(Ok(next)) => self.framing = next,
                    Some(Err(())) => {
                        self.framing = Framing::Broken;
                        return Step::Bad;
                    }
                    None => return Step::More,
                },
            }
        }
    }

    /// Up to `n` buffered bytes of body data, with `left` saying where the framing stands
    /// after them.
    fn data(&mut self, n: u64, left: impl Fn(u64) -> Framing) -> Step {
        if self.buf.is_empty() {
            return Step::More;
        }
        let len = usize::try_from(n).unwrap_or(usize::MAX).min(self.buf.len());
        self.framing = left(n - len as u64);
        Step::Data(self.buf.split_to(len).freeze())
    }

    /// Consumes the line a chunked body is at (size, data end, trailer): the framing after it,
    /// `None` until the line is buffered, `Err` if it is malformed or too long.
    fn chunk_line(&mut self, at: Chunk) -> Option<Result<Framing, ()>> {
        let room = match at {
            Chunk::Trailers(seen) => MAX_TRAILER_BYTES.saturating_sub(seen),
            Chunk::DataEnd => 2,
            _ => MAX_CHUNK_LINE,
        };
        let Some(end) = memchr::memchr(b'\n', &self.buf) else {
            return (self.buf.len() >= room).then_some(Err(()));
        };
        if end >= room {
            return Some(Err(()));
        }
        let line = self.buf.split_to(end + 1);
        let text = line.strip_suffix(b"\r\n").unwrap_or(&line[..end]);
        Some(match at {
            Chunk::Size => chunk_size(text).map(|n| {
                Framing::Chunked(if n == 0 {
                    Chunk::Trailers(0)
                } else {
                    Chunk::Data(n)
                })
            }),
            Chunk::DataEnd if text.is_empty() => Ok(Framing::Chunked(Chunk::Size)),
            Chunk::Trailers(_) if text.is_empty() => Ok(Framing::Done),
            Chunk::Trailers(seen) => Ok(Framing::Chunked(Chunk::Trailers(seen + line.len()))),
            _ => Err(()),
        })
    }
}

/// A chunk-size line's size: hexadecimal digits, then optional whitespace and extensions
/// (`;name=value`, ignored).
fn chunk_size(line: &[u8]) -> Result<u64, ()> {
    let digits = line
        .iter()
        .position(|b| !b.is_ascii_hexdigit())
        .unwrap_or(line.len());
    let rest = &line[digits..];
    let rest_ok = rest.is_empty() || rest.trim_ascii_start().first().is_none_or(|&b| b == b';');
    if digits == 0 || digits > 16 || !rest_ok {
        return Err(());
    }
    let hex = std::str::from_utf8(&line[..digits]).map_err(|_| ())?;
    u64::from_str_radix(hex, 16).map_err(|_| ())
}

/// A request body as it comes from the connection.
pub struct Incoming {
    wire: Shared,
    /// The length the request declared (`None` when chunked).
    declared: Option<u64>,
}

impl Incoming {
    pub(super) fn new(wire: Shared, declared: Option<u64>) -> Incoming {
        Incoming { wire, declared }
    }

    /// The length the request declared, if it declared one.
    pub(super) fn declared(&self) -> Option<u64> {
        self.declared
    }

    /// Reads the whole body, giving up past `limit` bytes.
    pub(super) async fn read(self, limit: usize) -> Result<Bytes, ReadError> {
        let mut wire = self.wire.lock().await;
        if std::mem::take(&mut wire.expects_continue)
            && wire
                .stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await
                .is_err()
        {
            wire.framing = Framing::Broken;
            return Err(ReadError::Broken);
        }
        let declared = self.declared.unwrap_or(0);
        let mut out = BytesMut::with_capacity(usize::try_from(declared).unwrap_or(0));
        loop {
            match wire.step() {
                Step::Data(data) if out.len() + data.len() > limit => {
                    return Err(ReadError::TooLarge);
                }
                Step::Data(data) => out.extend_from_slice(&data),
                Step::End => return Ok(out.freeze()),
                Step::Bad => return Err(ReadError::Broken),
                Step::More => {
                    if !wire.fill().await {
                        wire.framing = Framing::Broken;
                        return Err(ReadError::Broken);
                    }
                }
            }
        }
    }
}

impl fmt::Debug for Incoming {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Incoming")
            .field("declared", &self.declared)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_sizes_are_hex_with_extensions_ignored() {
        assert_eq!(chunk_size(b"1a"), Ok(26));
        assert_eq!(chunk_size(b"0"), Ok(0));
        assert_eq!(chunk_size(b"A;name=value"), Ok(10));
        assert_eq!(chunk_size(b"10 ;x"), Ok(16));
        assert_eq!(chunk_size(b"ffffffffffffffff"), Ok(u64::MAX));
        for bad in [&b""[..], b";x", b"1g", b"-1", b"1 2", b"10000000000000000"] {
            assert_eq!(chunk_size(bad), Err(()), "{}", String::from_utf8_lossy(bad));
        }
    }
}
