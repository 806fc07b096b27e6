//! The routing, in-process (no socket): which paths are the Mobile API's endpoints (the push
//! registration id is one path segment as sent, possibly empty; nothing else matches), which
//! methods each takes (405 with `Allow` otherwise), and `HEAD` answered as `GET` without a body.

use super::*;
use http::{HeaderMap, Request, header};
use mmjwt::sandbox::App;
use mmjwt::serve::RequestBody;

const BASE: &str = "/mobile/1/appinstance";

/// Status, headers and body of one request with App authorization.
async fn answer(
    app: &App,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, HeaderMap, String) {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("App {APP}"));
    for (n, v) in headers {
        req = req.header(*n, *v);
    }
    let res = app.answer(req.body(RequestBody::empty()).unwrap()).await;
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.into_body().into_bytes().expect("a whole body");
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

fn message_id(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap();
    v["requestError"]["serviceException"]["messageId"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn app() -> App {
    mmjwt::sandbox::app(config(Mode::AllowAll)).unwrap()
}

#[tokio::test]
async fn the_push_registration_id_is_one_segment_as_sent() {
    let app = app();
    for id in ["r1", "", "a%2Fb", "a%20b", "%", "{id}"] {
        let path = format!("{BASE}/{id}/user?ri=true");
        let (status, _, body) = answer(&app, "GET", &path, &[]).await;
        assert_eq!(status, 200, "{path}: {body}");
        let user: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(user["instances"][0]["pushRegId"], id, "{path}: not decoded");
    }
    for path in [
        format!("{BASE}/r1/user/"),
        format!("{BASE}/r1/x/user"),
        format!("{BASE}/r1/User"),
        format!("{BASE}/r1"),
        format!("{BASE}/r1/"),
        format!("{BASE}/"),
        BASE.to_owned(),
        "/MOBILE/1/appinstance/r1/user".to_owned(),
        format!("/{BASE}/r1/user"),
        "/".to_owned(),
        "*".to_owned(),
    ] {
        let (status, headers, body) = answer(&app, "GET", &path, &[]).await;
        assert_eq!(
            (status, message_id(&body).as_str()),
            (404, "NOT_FOUND"),
            "{path}"
        );
        assert!(!headers.contains_key(header::ALLOW), "{path}");
    }
}

#[tokio::test]
async fn other_methods_are_405_naming_the_methods_the_path_takes() {
    let app = app();
    let user = format!("{BASE}/r1/user");
    for method in ["DELETE", "PUT", "OPTIONS", "TRACE"] {
        let (status, headers, body) = answer(&app, method, &user, &[]).await;
        assert_eq!(
            (status, message_id(&body).as_str()),
            (405, "METHOD_NOT_ALLOWED"),
            "{method}"
        );
        assert_eq!(headers[header::ALLOW], "GET,HEAD,PATCH,POST", "{method}");
        assert!(
            body.contains(&format!("{method} is not allowed on this endpoint")),
            "{body}"
        );
    }
    for call in ["personalize", "depersonalize", "repersonalize"] {
        for method in ["GET", "HEAD", "PATCH", "DELETE"] {
            let (status, headers, _) =
                answer(&app, method, &format!("{BASE}/r1/{call}"), &[]).await;
            assert_eq!(status, 405, "{method} {call}");
            assert_eq!(headers[header::ALLOW], "POST", "{method} {call}");
        }
    }
    // POST is one of /user's methods: without the override it is refused, with no Allow.
    let (status, headers, body) = answer(&app, "POST", &user, &[]).await;
    assert_eq!(
        (status, message_id(&body).as_str()),
        (405, "METHOD_NOT_ALLOWED")
    );
    assert!(body.contains("X-HTTP-Method-Override"), "{body}");
    assert!(!headers.contains_key(header::ALLOW));
    // An unknown path is 404 whatever the method.
    let (status, headers, _) = answer(&app, "DELETE", "/nope", &[]).await;
    assert_eq!(status, 404);
    assert!(!headers.contains_key(header::ALLOW));
}

#[tokio::test]
async fn head_is_get_without_the_body() {
    let app = app();
    for path in [format!("{BASE}/r1/user"), "/nope".to_owned()] {
        let (get_status, get_headers, get_body) = answer(&app, "GET", &path, &[]).await;
        let (status, headers, body) = answer(&app, "HEAD", &path, &[]).await;
        assert_eq!(status, get_status, "{path}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{path}");
        assert_eq!(
            headers[header::CONTENT_LENGTH],
            get_body.len().to_string().as_str(),
            "{path}: the GET answer's length"
        );
        assert_eq!(
            get_headers[header::CONTENT_LENGTH],
            headers[header::CONTENT_LENGTH]
        );
        assert_eq!(body, "", "{path}");
    }
}
