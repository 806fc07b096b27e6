//! The accept loop: each connection is served on a task of its own (`conn`), whose header-read
//! timeout cuts off clients that send their headers slowly or not at all, with header count
//! and size limits (431); shutdown is graceful: stop accepting, let every connection finish its
//! request, then return.

use super::Handler;
use std::task::Poll;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Server limits. The defaults suit a local emulator; tests lower them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From the end of the headers to the last byte of the response (408 after it); the
    /// handler enforces it, since only it knows how to say so.
    pub request_timeout: Duration,
    /// The whole header block must arrive within this (the connection is closed otherwise).
    pub header_read_timeout: Duration,
    /// More header lines than this get 431.
    pub max_headers: usize,
    /// A header block (request line included) larger than this gets 431.
    pub max_header_bytes: usize,
    /// How long shutdown waits for in-flight requests before cutting them off.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_timeout: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(5),
            max_headers: 100,
            max_header_bytes: 16 * 1024,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Serves `handler` on `listener` until `stop` turns true (or its sender goes away).
pub async fn run(
    listener: TcpListener,
    handler: Handler,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let (conn_stop, conn_stop_rx) = watch::channel(false);
    let mut conns = JoinSet::new();
    loop {
        let event = {
            let mut stop_now = std::pin::pin!(stopped(&mut stop));
            std::future::poll_fn(|cx| {
                if stop_now.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Event::Stop);
                }
                // A finished connection's task is collected first, so that a stream of new
                // connections cannot make the set grow. (An empty set is never ready.)
                if let Poll::Ready(Some(_)) = conns.poll_join_next(cx) {
                    return Poll::Ready(Event::Collected);
                }
                listener.poll_accept(cx).map(Event::Accepted)
            })
            .await
        };
        match event {
            Event::Stop => break,
            Event::Accepted(Ok((stream, _peer))) => {
                let _ = stream.set_nodelay(true);
                conns.spawn(super::conn::serve(
                    stream,
                    handler.clone(),
                    limits,
                    conn_stop_rx.clone(),
                ));
            }
            // Out of file descriptors and the like: pause instead of spinning.
            Event::Accepted(Err(_)) => tokio::time::sleep(Duration::from_millis(20)).await,
            Event::Collected => {}
        }
    }
    drop(listener);
    let _ = conn_stop.send(true);
    let drained = async { while conns.join_next().await.is_some() {} };
    // Connections still busy after the grace period are cut off when `conns` drops.
    let _ = tokio::time::timeout(limits.shutdown_grace, drained).await;
}

/// What woke the accept loop.
enum Event {
    Stop,
    Accepted(std::io::Result<(tokio::net::TcpStream, std::net::SocketAddr)>),
    /// A connection's task ended and was collected.
    Collected,
}

/// Resolves once the flag is true or its sender is gone. (The guard `wait_for` returns is not
/// `Send`, so it must not live in the callers' futures.)
pub(super) async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}
