//! The `gen --json` object: `{token, header, claims, expires_at}`. Shared by `mmjwt gen` and
//! the page's `POST /_mmjwt/api/gen`, so the two answer the same bytes.

use serde_json::{Value, json};

/// The object for one minted token (`header_json` and `payload_json` as encoded in it).
pub fn json(token: &str, header_json: &str, payload_json: &str, exp: i64) -> Value {
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
    json!({
        "token": token,
        "header": parse(header_json),
        "claims": parse(payload_json),
        "expires_at": crate::time::rfc3339(exp),
    })
}
