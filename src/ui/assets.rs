//! The page's files, embedded in the binary from `web/` (plain HTML, CSS and JavaScript: no
//! build step, nothing fetched at run time).

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

const INDEX: &str = include_str!("../../web/index.html");
const SCRIPT: &str = include_str!("../../web/app.js");
const STYLE: &str = include_str!("../../web/app.css");
const ICON: &str = include_str!("../../web/icon.svg");

fn file(content_type: &'static str, body: &'static str) -> Response {
    let mut res = Response::new(axum::body::Body::from(body));
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// `GET /`: the page for a browser (an `Accept` naming HTML); anything else gets the
/// sandbox's usual JSON 404, so `/` stays what it was for API clients.
pub(super) async fn index(headers: HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if wants_html {
        file("text/html; charset=utf-8", INDEX)
    } else {
        let mut res = crate::sandbox::routes::not_found_response();
        *res.status_mut() = StatusCode::NOT_FOUND;
        res
    }
}

pub(super) async fn script() -> Response {
    file("text/javascript; charset=utf-8", SCRIPT)
}

pub(super) async fn style() -> Response {
    file("text/css; charset=utf-8", STYLE)
}

pub(super) async fn icon() -> Response {
    file("image/svg+xml", ICON)
}
