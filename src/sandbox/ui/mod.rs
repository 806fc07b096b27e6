//! The offline token debugger every sandbox serves (unless `--no-ui`): the page at `/` and its
//! files under `/_mmjwt/`, and the small JSON API under `/_mmjwt/api/` the page uses for every
//! verdict. Inside: `assets` (the embedded page files), `guard` (Host, Origin and
//! Content-Type rules, the security headers), `api` (check, gen, replay, state), `events` (the
//! request log as server-sent events).
//!
//! The page handles secrets on a port any local web page can reach, so every route here goes
//! through the guard, and nothing a request carries (bodies, tokens, secrets) is kept or logged.

pub mod api;
mod assets;
pub mod events;
pub mod guard;

use super::Shared;
use axum::Router;
use axum::middleware;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

/// Where the page's own files and API live (the Mobile API never uses this prefix).
pub const PREFIX: &str = "/_mmjwt";

/// What the page and its API need besides the sandbox itself.
#[derive(Debug, Default)]
pub struct Ui {
    /// The address the sandbox is bound to, known once it listens; until then every request
    /// is refused (no Host can be checked against it).
    own: OnceLock<SocketAddr>,
    /// Subscribers of `GET /_mmjwt/api/events`.
    pub events: events::Hub,
}

impl Ui {
    /// Records the bound address (the first call wins; a sandbox binds once).
    pub fn set_address(&self, addr: SocketAddr) {
        let _ = self.own.set(addr);
    }

    pub fn address(&self) -> Option<SocketAddr> {
        self.own.get().copied()
    }
}

/// Any other method on a page or API path: 405 in the API's error shape (after the guard, so
/// a foreign origin's CORS preflight is a 403).
async fn method_not_allowed(method: axum::http::Method) -> axum::response::Response {
    api::error(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method",
        format!("{method} is not allowed here"),
    )
}

/// The page and API routes, each behind the guard. Merged into the sandbox's router before
/// its log and timeout layer, so these requests are logged (method, path, status) like any.
pub fn routes(shared: &Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .route("/", get(assets::index).fallback(method_not_allowed))
        .route(
            &format!("{PREFIX}/app.js"),
            get(assets::script).fallback(method_not_allowed),
        )
        .route(
            &format!("{PREFIX}/app.css"),
            get(assets::style).fallback(method_not_allowed),
        )
        .route(
            &format!("{PREFIX}/icon.svg"),
            get(assets::icon).fallback(method_not_allowed),
        )
        .route(
            &format!("{PREFIX}/api/check"),
            post(api::check).fallback(method_not_allowed),
        )
        .route(
            &format!("{PREFIX}/api/gen"),
            post(api::generate).fallback(method_not_allowed),
        )
        .route(
            &format!("{PREFIX}/api/replay"),
            post(api::replay).fallback(method_not_allowed),
        )
        .route(
            &format!("{PREFIX}/api/state"),
            get(api::state).fallback(method_not_allowed),
        )
        .route(
            &format!("{PREFIX}/api/events"),
            get(events::stream).fallback(method_not_allowed),
        )
        .layer(middleware::from_fn_with_state(
            Arc::clone(shared),
            guard::guard,
        ))
}
