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

use crate::sandbox::{Route, Shared};
use crate::serve::{self, Pending, Request, Response};
use http::{Method, StatusCode};
use std::sync::Arc;

/// Where the page's own files and API live (the Mobile API never uses this prefix).
pub const PREFIX: &str = "/_mmjwt";

/// The page's paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Index,
    Script,
    Style,
    Icon,
    Check,
    Generate,
    Resign,
    Replay,
    State,
    Events,
}

impl Page {
    /// The page at `path` exactly (no trailing slash, no decoding).
    fn at(path: &str) -> Option<Page> {
        if path == "/" {
            return Some(Page::Index);
        }
        Some(match path.strip_prefix(PREFIX)? {
            "/app.js" => Page::Script,
            "/app.css" => Page::Style,
            "/icon.svg" => Page::Icon,
            "/api/check" => Page::Check,
            "/api/gen" => Page::Generate,
            "/api/resign" => Page::Resign,
            "/api/replay" => Page::Replay,
            "/api/state" => Page::State,
            "/api/events" => Page::Events,
            _ => return None,
        })
    }

    /// The API's actions take POST; everything else is read with GET (and so HEAD).
    fn posts(self) -> bool {
        matches!(
            self,
            Page::Check | Page::Generate | Page::Resign | Page::Replay
        )
    }
}

/// The page and API routes: the sandbox's `Extension`. The sandbox times and logs these
/// requests (method, path, status) like any.
pub fn routes(path: &str) -> Option<Route> {
    Page::at(path).map(|_| answer as Route)
}

fn answer(shared: Arc<Shared>, req: Request) -> Pending {
    Box::pin(async move {
        match Page::at(req.uri().path()) {
            Some(page) => guarded(&shared, page, req).await,
            None => crate::sandbox::routes::not_found_response(),
        }
    })
}

/// Every page request passes the guard first (so a foreign origin's CORS preflight is a 403,
/// not a 405), and every answer, refusals included, carries the security headers. A method
/// the path does not take is 405 in the API's error shape; whatever answers such a request
/// names the methods the path takes in `Allow`.
async fn guarded(shared: &Arc<Shared>, page: Page, req: Request) -> Response {
    let (allowed, takes) = if page.posts() {
        ("POST", *req.method() == Method::POST)
    } else {
        (
            "GET,HEAD",
            matches!(*req.method(), Method::GET | Method::HEAD),
        )
    };
    let judged = guard::judge(
        req.method(),
        req.uri().path(),
        req.headers(),
        shared.address(),
    );
    let mut res = match judged {
        Err(r) => api::error(r.status(), r.kind(), r.message()),
        Ok(()) if takes => page_answer(shared, page, req).await,
        Ok(()) => api::error(
            StatusCode::METHOD_NOT_ALLOWED,
            "method",
            format!("{} is not allowed here", req.method()),
        ),
    };
    guard::secure(res.headers_mut());
    if !takes {
        serve::allow(&mut res, allowed);
    }
    res
}

async fn page_answer(shared: &Arc<Shared>, page: Page, req: Request) -> Response {
    match page {
        Page::Index => assets::index(req.headers()),
        Page::Script => assets::script(),
        Page::Style => assets::style(),
        Page::Icon => assets::icon(),
        Page::Check => api::check(shared, req).await,
        Page::Generate => api::generate(shared, req).await,
        Page::Resign => api::resign(shared, req).await,
        Page::Replay => api::replay(shared, req).await,
        Page::State => api::state(shared),
        Page::Events => events::stream(shared),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_their_exact_paths() {
        assert_eq!(Page::at("/"), Some(Page::Index));
        assert_eq!(Page::at("/_mmjwt/app.js"), Some(Page::Script));
        assert_eq!(Page::at("/_mmjwt/api/events"), Some(Page::Events));
        for other in [
            "",
            "//",
            "/_mmjwt",
            "/_mmjwt/",
            "/_mmjwt/app.js/",
            "/_mmjwt/api/Check",
            "/x/",
        ] {
            assert_eq!(Page::at(other), None, "{other:?}");
        }
        assert!(Page::Check.posts() && !Page::State.posts());
    }
}
