//! The accept loop. Hand-rolled rather than `axum::serve` because that one sets no timer, so
//! hyper's header-read timeout (slow-header clients) would never fire; here each connection
//! gets HTTP/1 with a timer, a header-read timeout and header count/size limits (431), and
//! shutdown is graceful: stop accepting, let every connection finish its request, then return.

use super::Limits;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt as _;

/// Serves `app` on `listener` until `stop` turns true (or its sender goes away).
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_headers(limits.max_headers)
        .max_header_size(limits.max_header_bytes);
    let (conn_stop, conn_stop_rx) = watch::channel(false);
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            () = stopped(&mut stop) => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    let _ = stream.set_nodelay(true);
                    let app = app.clone();
                    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                        app.clone().oneshot(req)
                    });
                    let conn = http.serve_connection(TokioIo::new(stream), service);
                    let mut stop_rx = conn_stop_rx.clone();
                    conns.spawn(async move {
                        let mut conn = std::pin::pin!(conn);
                        let stopping = tokio::select! {
                            _ = conn.as_mut() => false,
                            () = stopped(&mut stop_rx) => true,
                        };
                        if stopping {
                            // Finish the request in progress, then close.
                            conn.as_mut().graceful_shutdown();
                            let _ = conn.await;
                        }
                    });
                }
                // Out of file descriptors and the like: pause instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    drop(listener);
    let _ = conn_stop.send(true);
    let drained = async { while conns.join_next().await.is_some() {} };
    // Connections still busy after the grace period are cut off when `conns` drops.
    let _ = tokio::time::timeout(limits.shutdown_grace, drained).await;
}

/// Resolves once the flag is true or its sender is gone. (The guard `wait_for` returns is not
/// `Send`, so it must not live in the callers' futures.)
async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}
