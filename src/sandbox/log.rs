//! The per-request log line: method, path, who called (App, or Bearer with the token's `sub`),
//! status, and for refusals the `messageId` and text. As text or NDJSON on stderr. Tokens, app
//! codes and secrets never reach it: the caller is described only by an [`AuthNote`].

use super::LogFormat;
use super::auth::AuthNote;
use serde_json::{Map, Value, json};
use std::fmt::Write as _;
use std::io::Write as _;

/// What a handler tells the log about its request (carried as a response extension).
#[derive(Debug, Clone, Default)]
pub struct LogNote {
    pub auth: AuthNote,
    pub message_id: Option<&'static str>,
    pub reason: Option<String>,
}

/// One request as the log sees it.
#[derive(Debug)]
pub struct Entry<'a> {
    pub time: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub millis: f64,
    pub note: &'a LogNote,
}

/// Paths longer than this are cut in the log.
const MAX_PATH: usize = 200;

/// The line for `e` (without the newline), or `None` when logging is off.
pub fn line(format: LogFormat, e: &Entry<'_>) -> Option<String> {
    let path = if e.path.len() > MAX_PATH {
        let mut end = MAX_PATH;
        while !e.path.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &e.path[..end])
    } else {
        e.path.to_owned()
    };
    match format {
        LogFormat::Off => None,
        LogFormat::Text => {
            let auth = match (&e.note.auth, e.note.auth.sub()) {
                (AuthNote::None, _) => "-".to_string(),
                (a, Some(sub)) => format!("{} sub={}", a.kind(), Value::String(sub.to_owned())),
                (a, None) => a.kind().to_string(),
            };
            let mut s = format!("{} {} {path} {auth} -> {}", e.time, e.method, e.status);
            if let Some(id) = e.note.message_id {
                s.push(' ');
                s.push_str(id);
            }
            if let Some(r) = &e.note.reason {
                s.push_str(": ");
                s.push_str(&r.replace(['\n', '\r'], " "));
            }
            let _ = write!(s, " ({:.1} ms)", e.millis);
            Some(s)
        }
        LogFormat::Json => {
            let mut m = Map::new();
            m.insert("time".into(), json!(e.time));
            m.insert("method".into(), json!(e.method));
            m.insert("path".into(), json!(path));
            m.insert("auth".into(), json!(e.note.auth.kind()));
            if let Some(sub) = e.note.auth.sub() {
                m.insert("sub".into(), json!(sub));
            }
            m.insert("status".into(), json!(e.status));
            if let Some(id) = e.note.message_id {
                m.insert("messageId".into(), json!(id));
            }
            if let Some(r) = &e.note.reason {
                m.insert("reason".into(), json!(r));
            }
            m.insert("ms".into(), json!((e.millis * 10.0).round() / 10.0));
            Some(Value::Object(m).to_string())
        }
    }
}

/// Writes one line to stderr in a single write, so concurrent requests do not interleave.
pub fn emit(format: LogFormat, e: &Entry<'_>) {
    if let Some(mut l) = line(format, e) {
        l.push('\n');
        let _ = std::io::stderr().lock().write_all(l.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_lines() {
        let note = LogNote {
            auth: AuthNote::Bearer {
                sub: Some("al ice".into()),
            },
            message_id: Some("SUB_MISMATCH"),
            reason: Some("the token's sub\nis wrong".into()),
        };
        let e = Entry {
            time: "T",
            method: "GET",
            path: "/p",
            status: 401,
            millis: 1.24,
            note: &note,
        };
        assert_eq!(
            line(LogFormat::Text, &e).unwrap(),
            "T GET /p Bearer sub=\"al ice\" -> 401 SUB_MISMATCH: the token's sub is wrong (1.2 ms)"
        );
        let j: Value = serde_json::from_str(&line(LogFormat::Json, &e).unwrap()).unwrap();
        assert_eq!(j["auth"], "Bearer");
        assert_eq!(j["sub"], "al ice");
        assert_eq!(j["messageId"], "SUB_MISMATCH");
        assert_eq!(j["status"], 401);
        assert!(line(LogFormat::Off, &e).is_none());
        let ok = LogNote::default();
        let e = Entry {
            note: &ok,
            status: 200,
            ..e
        };
        assert_eq!(
            line(LogFormat::Text, &e).unwrap(),
            "T GET /p - -> 200 (1.2 ms)"
        );
    }
}
