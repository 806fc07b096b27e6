//! `GET /_mmjwt/api/events`: the sandbox's live request log as server-sent events, one
//! `message` event per request whose `data` is the JSON log object (method, path, status, the
//! caller's kind and `sub`, the `messageId` and reason; never a body, token, app code or secret).

use crate::sandbox::Shared;
use crate::sandbox::log::events::MAX_SUBSCRIBERS;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::mpsc;

/// The stream of one subscriber: each log line as an SSE `message` event (`data:` is the JSON
/// object).
struct Lines(mpsc::Receiver<Arc<str>>);

impl futures_core::Stream for Lines {
    type Item = Result<Event, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .poll_recv(cx)
            .map(|line| line.map(|l| Ok(Event::default().data(&*l))))
    }
}

/// `GET /_mmjwt/api/events`.
pub(crate) async fn stream(State(shared): State<Arc<Shared>>) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let Some(rx) = shared.events.subscribe() else {
        return super::api::error(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            format!("{MAX_SUBSCRIBERS} pages already follow the log; close one"),
        );
    };
    // A comment every 15 s keeps proxies and the browser from timing the stream out.
    Sse::new(Lines(rx))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
