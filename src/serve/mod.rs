//! HTTP/1.1 serving for the sandbox, its page and the issuer's token endpoint: the request and
//! response types their handlers take and return, one body reader with a size limit, the
//! finishing touches every answer gets ([`finish`]), the accept loop with its limits
//! (`accept`), and mmjwt's own HTTP/1.1 connections (`conn`, `wire`).
//!
//! Routing is plain code in each server (a `match` on method and path); a handler is one
//! boxed function ([`Handler`]), so no handler type is compiled more than once.

mod accept;
mod conn;
mod wire;

pub use accept::{Limits, run};
pub(crate) use conn::keeps_alive;
pub use wire::Incoming;

pub use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, StatusCode};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

/// Which of two futures finished first (see [`first`]).
enum Either<A, B> {
    Left(A),
    Right(B),
}

/// Runs two futures until one finishes, `a` polled first; the other is dropped unfinished. What
/// `tokio::select!` does for two branches, written out so that tokio builds without its
/// proc-macro crate.
async fn first<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(v) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(v));
        }
        b.as_mut().poll(cx).map(Either::Right)
    })
    .await
}

/// A request as handlers see it.
pub type Request = http::Request<RequestBody>;
/// A response as handlers give it.
pub type Response = http::Response<Body>;
/// A response still being worked out.
pub type Pending = Pin<Box<dyn Future<Output = Response> + Send>>;
/// What answers every request of a server.
pub type Handler = Arc<dyn Fn(Request) -> Pending + Send + Sync>;

/// A request body: from the connection, or given whole (in-process callers, tests).
#[derive(Debug)]
pub enum RequestBody {
    Incoming(Incoming),
    Full(Bytes),
}

impl RequestBody {
    /// A body given whole.
    pub fn full(data: impl Into<Bytes>) -> RequestBody {
        RequestBody::Full(data.into())
    }

    /// No body.
    pub fn empty() -> RequestBody {
        RequestBody::Full(Bytes::new())
    }
}

/// Why [`read_body`] gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadError {
    /// The body is longer than the limit (by its declared length, or while it was read).
    TooLarge,
    /// The connection failed or closed before the body's end.
    Broken,
}

/// Reads a whole body of at most `limit` bytes. A declared length over the limit is refused
/// before anything is read; a body without one is cut off once it passes the limit.
pub async fn read_body(body: RequestBody, limit: usize) -> Result<Bytes, ReadError> {
    match body {
        RequestBody::Full(b) if b.len() > limit => Err(ReadError::TooLarge),
        RequestBody::Full(b) => Ok(b),
        RequestBody::Incoming(b) if b.declared().is_some_and(|n| n > limit as u64) => {
            Err(ReadError::TooLarge)
        }
        RequestBody::Incoming(b) => b.read(limit).await,
    }
}

/// What a stream body yields: the next piece, or `None` at its end.
pub type Chunks = Pin<Box<dyn futures_core::Stream<Item = Bytes> + Send>>;

/// A response body: whole (its exact length known, so it goes out with `Content-Length`), or
/// a stream of pieces (sent chunked, as the live log is).
pub struct Body(Kind);

enum Kind {
    /// `None` once sent.
    Full(Option<Bytes>),
    Stream(Chunks),
}

impl Body {
    /// A body given whole.
    pub fn full(data: impl Into<Bytes>) -> Body {
        Body(Kind::Full(Some(data.into())))
    }

    /// No body.
    pub fn empty() -> Body {
        Body(Kind::Full(None))
    }

    /// A body of pieces that come as they are ready.
    pub fn stream(chunks: Chunks) -> Body {
        Body(Kind::Stream(chunks))
    }

    /// The whole body, unless it is a stream (for in-process callers, which have no socket to
    /// read it from).
    pub fn into_bytes(self) -> Option<Bytes> {
        match self.0 {
            Kind::Full(b) => Some(b.unwrap_or_default()),
            Kind::Stream(_) => None,
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Full(b) => f
                .debug_struct("Body")
                .field("len", &b.as_ref().map_or(0, Bytes::len))
                .finish(),
            Kind::Stream(_) => f.write_str("Body(stream)"),
        }
    }
}

impl Body {
    /// The exact length of a whole body; `None` for a stream.
    fn exact_len(&self) -> Option<usize> {
        match &self.0 {
            Kind::Full(b) => Some(b.as_ref().map_or(0, Bytes::len)),
            Kind::Stream(_) => None,
        }
    }
}

/// A response with `status`, a body and its `Content-Type`.
pub fn response(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response {
    let mut res = Response::new(Body::full(body));
    *res.status_mut() = status;
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// The methods a path answers, for a request whose method is not one of them: the answer gets
/// them in `Allow` (unless it names its own), whatever its status.
pub fn allow(res: &mut Response, methods: &'static str) {
    if !res.headers().contains_key(header::ALLOW) {
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(methods));
    }
}

/// What every answer gets last: `Content-Length` for a whole body that does not state it
/// (so in-process callers see what the socket sends), and for `HEAD` no body (the length
/// stays that of the `GET` answer).
pub fn finish(res: &mut Response, method: &Method) {
    let exact = res.body().exact_len();
    set_length(res.headers_mut(), exact);
    if *method == Method::HEAD {
        *res.body_mut() = Body::empty();
    }
}

fn set_length(headers: &mut HeaderMap, exact: Option<usize>) {
    if headers.contains_key(header::CONTENT_LENGTH) {
        return;
    }
    if let Some(n) = exact {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::{Context, Poll};

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn a_whole_body_is_read_up_to_the_limit_and_refused_past_it() {
        let ten = || RequestBody::full(&b"0123456789"[..]);
        assert_eq!(block_on(read_body(ten(), 10)).unwrap(), &b"0123456789"[..]);
        assert_eq!(block_on(read_body(ten(), 9)), Err(ReadError::TooLarge));
        assert_eq!(block_on(read_body(RequestBody::empty(), 0)).unwrap(), "");
    }

    #[test]
    fn finish_states_the_length_and_empties_head_answers() {
        let mut res = response(StatusCode::OK, "text/plain", "hello");
        finish(&mut res, &Method::GET);
        assert_eq!(res.headers()[header::CONTENT_LENGTH], "5");
        assert_eq!(res.into_body().into_bytes().unwrap(), "hello");

        let mut res = response(StatusCode::OK, "text/plain", "hello");
        finish(&mut res, &Method::HEAD);
        assert_eq!(res.headers()[header::CONTENT_LENGTH], "5");
        assert_eq!(res.into_body().into_bytes().unwrap(), "");

        // A stated length is kept; a stream has none to state.
        let mut res = response(StatusCode::OK, "text/plain", "hello");
        res.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from_static("5"));
        finish(&mut res, &Method::GET);
        assert_eq!(
            res.headers().get_all(header::CONTENT_LENGTH).iter().count(),
            1
        );
        let mut res = Response::new(Body::stream(Box::pin(Nothing)));
        finish(&mut res, &Method::GET);
        assert!(!res.headers().contains_key(header::CONTENT_LENGTH));
        assert!(res.into_body().into_bytes().is_none());
    }

    #[test]
    fn allow_keeps_a_list_the_answer_names_itself() {
        let mut res = response(StatusCode::METHOD_NOT_ALLOWED, "text/plain", "");
        allow(&mut res, "GET,HEAD");
        assert_eq!(res.headers()[header::ALLOW], "GET,HEAD");
        allow(&mut res, "POST");
        assert_eq!(res.headers()[header::ALLOW], "GET,HEAD");
    }

    /// A stream that ends at once.
    struct Nothing;

    impl futures_core::Stream for Nothing {
        type Item = Bytes;

        fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
            Poll::Ready(None)
        }
    }
}
