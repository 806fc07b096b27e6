//! The offline token debugger every sandbox serves (unless `--no-ui`): the page at `/` and its
//! files under `/_mmjwt/`, and the small JSON API under `/_mmjwt/api/` the page uses for every
//! verdict. Inside: `assets` (the embedded page files), `guard` (Host, Origin and
//! Content-Type rules, the security headers), `api` (check, gen, resign, replay, state), `events` (the
//! request log as server-sent events).
//!
//! A layer above `sandbox` and `replay` (its `replay` call builds and sends what `mmjwt
//! replay` does): the sandbox serves these routes when its `Config::extension` is [`routes`],
//! which `mmjwt sandbox` (unless `--no-ui`) and `mmjwt ui` set.
//!
//! The page handles secrets on a port any local web page can reach, so every route here goes
//! through the guard, and nothing a request carries (bodies, tokens, secrets) is kept or logged.

pub(crate) mod api;
mod assets;
pub(crate) mod events;
pub(crate) mod guard;

use crate::sandbox::Shared;
use axum::Router;
use axum::middleware;
use axum::routing::{get, post};
use std::sync::Arc;

/// Where the page's own files and API live (the Mobile API never uses this prefix).
pub const PREFIX: &str = "/_mmjwt";

/// Any other method on a page or API path: 405 in the API's error shape (after the guard, so
/// a foreign origin's CORS preflight is a 403).
async fn method_not_allowed(method: axum::http::Method) -> axum::response::Response {
    api::error(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method",
        format!("{method} is not allowed here"),
    )
}

/// The page and API routes, each behind the guard: the sandbox's `Extension`. Merged into its
/// router before its log and timeout layer, so these requests are logged (method, path,
/// status) like any.
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
            &format!("{PREFIX}/api/resign"),
            post(api::resign).fallback(method_not_allowed),
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
