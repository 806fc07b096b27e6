//! The page's files, embedded in the binary from `web/` (plain HTML, CSS and JavaScript: no
//! build step, nothing fetched at run time).

use crate::serve::{self, Response};
use http::{HeaderMap, StatusCode, header};

const INDEX: &str = include_str!("../../web/index.html");
const SCRIPT: &str = include_str!("../../web/app.js");
const STYLE: &str = include_str!("../../web/app.css");
const ICON: &str = include_str!("../../web/icon.svg");

fn file(content_type: &'static str, body: &'static str) -> Response {
    serve::response(StatusCode::OK, content_type, body)
}

/// `GET /`: the page for a browser (an `Accept` naming HTML); anything else gets the
/// sandbox's usual JSON 404, so `/` stays what it was for API clients.
pub(super) fn index(headers: &HeaderMap) -> Response {
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

pub(super) fn script() -> Response {
    file("text/javascript; charset=utf-8", SCRIPT)
}

pub(super) fn style() -> Response {
    file("text/css; charset=utf-8", STYLE)
}

pub(super) fn icon() -> Response {
    file("image/svg+xml", ICON)
}
