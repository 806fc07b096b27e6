//! `GET /_mmjwt/api/events`: the sandbox's live request log as server-sent events, one
//! `message` event per request whose `data` is the JSON log object (method, path, status, the
//! caller's kind and `sub`, the `messageId` and reason; never a body, token, app code or secret).
//!
//! The stream is `text/event-stream`, sent chunked; a comment line keeps it alive when no event
//! came for [`KEEP_ALIVE`].

use crate::sandbox::Shared;
use crate::sandbox::log::events::MAX_SUBSCRIBERS;
use crate::serve::{Body, Bytes, Response};
use http::{HeaderValue, StatusCode, header};
use std::future::Future as _;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, Sleep};

/// A comment goes out after this long without an event, so proxies and the browser do not
/// time the stream out.
pub(crate) const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The keep-alive comment: an empty comment line and the blank line that ends an event.
const COMMENT: &[u8] = b":\n\n";

/// The stream of one subscriber: each log line as an SSE `message` event, and the keep-alive
/// comment when [`KEEP_ALIVE`] passed since the last thing sent.
struct Lines {
    rx: mpsc::Receiver<Arc<str>>,
    /// [`KEEP_ALIVE`] when served.
    every: Duration,
    quiet: Pin<Box<Sleep>>,
}

impl Lines {
    fn new(rx: mpsc::Receiver<Arc<str>>, every: Duration) -> Lines {
        Lines {
            rx,
            every,
            quiet: Box::pin(tokio::time::sleep(every)),
        }
    }
}

impl futures_core::Stream for Lines {
    type Item = Bytes;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        let next = match self.rx.poll_recv(cx) {
            Poll::Ready(Some(line)) => event(&line),
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => {
                if self.quiet.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                Bytes::from_static(COMMENT)
            }
        };
        let again = Instant::now() + self.every;
        self.quiet.as_mut().reset(again);
        Poll::Ready(Some(next))
    }
}

/// `data` as one event: `data: ` before each of its lines (a line ends at `\n` or `\r`), and a
/// blank line after.
fn event(data: &str) -> Bytes {
    if data.is_empty() {
        // No data field at all: only the event's end.
        return Bytes::from_static(b"\n");
    }
    let mut out = Vec::with_capacity(data.len() + 8);
    out.extend_from_slice(b"data: ");
    for piece in data.split_inclusive(['\n', '\r']) {
        out.extend_from_slice(piece.as_bytes());
        if piece.ends_with(['\n', '\r']) {
            out.extend_from_slice(b"data: ");
        }
    }
    out.extend_from_slice(b"\n\n");
    Bytes::from(out)
}

/// `GET /_mmjwt/api/events`.
pub(crate) fn stream(shared: &Shared) -> Response {
    let Some(rx) = shared.events.subscribe() else {
        return super::api::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            format!("{MAX_SUBSCRIBERS} pages already follow the log; close one"),
        );
    };
    let lines = Lines::new(rx, KEEP_ALIVE);
    let mut res = Response::new(Body::stream(Box::pin(lines)));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_core::Stream as _;

    #[test]
    fn each_line_is_a_data_field_and_a_blank_line_ends_the_event() {
        assert_eq!(event(r#"{"a":1}"#), &b"data: {\"a\":1}\n\n"[..]);
        assert_eq!(event("a\nb\rc"), &b"data: a\ndata: b\rdata: c\n\n"[..]);
        assert_eq!(event("a\n"), &b"data: a\ndata: \n\n"[..]);
        assert_eq!(event(""), &b"\n"[..]);
    }

    async fn next(lines: &mut Lines) -> Option<Bytes> {
        std::future::poll_fn(|cx| Pin::new(&mut *lines).poll_next(cx)).await
    }

    #[tokio::test]
    async fn a_comment_keeps_the_stream_alive_after_a_quiet_interval_only() {
        let every = Duration::from_millis(300);
        let (tx, rx) = mpsc::channel(4);
        let mut lines = Lines::new(rx, every);
        let start = Instant::now();
        tokio::time::sleep(every * 2 / 3).await;
        tx.send(Arc::from("x")).await.unwrap();
        assert_eq!(next(&mut lines).await.unwrap(), "data: x\n\n");
        let sent = Instant::now();
        // The event restarted the interval: the comment comes a whole interval after it.
        assert_eq!(next(&mut lines).await.unwrap(), ":\n\n");
        assert!(sent.elapsed() >= every, "{:?}", sent.elapsed());
        assert!(start.elapsed() >= every * 5 / 3);
        drop(tx);
        assert!(next(&mut lines).await.is_none());
    }
}
