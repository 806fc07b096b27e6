//! POSTs to the web page's local API (`/_mmjwt/api/CALL`) of a sandbox running in the test's
//! own process, through the tests' own HTTP client.

use mmjwt::sandbox::Sandbox;
use serde_json::Value;

/// POSTs raw `body` text to `call` with a content type and, when given, an `Origin`: status
/// and body text.
pub async fn post_text(
    sb: &Sandbox,
    call: &str,
    content_type: &str,
    origin: Option<&str>,
    body: &str,
) -> (u16, String) {
    let mut req = super::http_client()
        .post(format!("{}/_mmjwt/api/{call}", sb.url()))
        .header("content-type", content_type);
    if let Some(origin) = origin {
        req = req.header("origin", origin);
    }
    let r = req.body(body.to_string()).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

/// [`post_text`] whose answer must be JSON: status and the parsed body.
pub async fn post_json(
    sb: &Sandbox,
    call: &str,
    content_type: &str,
    origin: Option<&str>,
    body: &str,
) -> (u16, Value) {
    let (status, text) = post_text(sb, call, content_type, origin, body).await;
    let v = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{call}: the answer is not JSON ({e}): {text}"));
    (status, v)
}
