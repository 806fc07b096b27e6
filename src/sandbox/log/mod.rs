//! The per-request log line: method, path, who called (App, or Bearer with the token's `sub`),
//! status, and for refusals the `messageId` and text, as text or NDJSON. Tokens, app codes and
//! secrets never reach it: the caller is described only by an [`AuthNote`]. The lines go out
//! through a [`Sink`] (`sink.rs`).

pub(crate) mod events;
mod sink;

pub(crate) use sink::Sink;

use super::LogFormat;
use super::auth::AuthNote;
use serde::Serialize;
use std::fmt::Write as _;

/// What a handler tells the log about its request (carried as a response extension).
#[derive(Debug, Clone, Default)]
pub(crate) struct LogNote {
    pub auth: AuthNote,
    pub message_id: Option<&'static str>,
    pub reason: Option<String>,
}

/// One request as the log sees it.
#[derive(Debug)]
pub(crate) struct Entry<'a> {
    pub time: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub millis: f64,
    pub note: &'a LogNote,
}

/// Paths longer than this are cut in the log.
const MAX_PATH: usize = 200;

/// The line for `e` (without the newline), or `None` when logging is off. Built in one string
/// (no intermediate strings or JSON values): it is on every request's path.
pub(crate) fn line(format: LogFormat, e: &Entry<'_>) -> Option<String> {
    let (path, cut) = if e.path.len() > MAX_PATH {
        let mut end = MAX_PATH;
        while !e.path.is_char_boundary(end) {
            end -= 1;
        }
        (&e.path[..end], "…")
    } else {
        (e.path, "")
    };
    match format {
        LogFormat::Off => None,
        LogFormat::Text => {
            let reason_len = e.note.reason.as_ref().map_or(0, String::len);
            let mut s = String::with_capacity(112 + path.len() + reason_len);
            s.push_str(e.time);
            s.push(' ');
            s.push_str(e.method);
            s.push(' ');
            s.push_str(path);
            s.push_str(cut);
            s.push(' ');
            match (&e.note.auth, e.note.auth.sub()) {
                (AuthNote::None, _) => s.push('-'),
                (a, Some(sub)) => {
                    s.push_str(a.kind());
                    s.push_str(" sub=");
                    // JSON string syntax: quotes and control characters cannot forge a line.
                    push_json_string(&mut s, sub);
                }
                (a, None) => s.push_str(a.kind()),
            }
            let _ = write!(s, " -> {}", e.status);
            if let Some(id) = e.note.message_id {
                s.push(' ');
                s.push_str(id);
            }
            if let Some(r) = &e.note.reason {
                s.push_str(": ");
                s.extend(
                    r.chars()
                        .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }),
                );
            }
            let _ = write!(s, " ({:.1} ms)", e.millis);
            Some(s)
        }
        LogFormat::Json => {
            let cut_path;
            let line = JsonLine {
                time: e.time,
                method: e.method,
                path: if cut.is_empty() {
                    path
                } else {
                    cut_path = format!("{path}{cut}");
                    &cut_path
                },
                auth: e.note.auth.kind(),
                sub: e.note.auth.sub(),
                status: e.status,
                message_id: e.note.message_id,
                reason: e.note.reason.as_deref(),
                ms: (e.millis * 10.0).round() / 10.0,
            };
            serde_json::to_string(&line).ok()
        }
    }
}

/// Appends `text` as serde_json writes a JSON string. Most subs need no escape (serde_json
/// escapes only `"`, `\\` and control characters), and are copied between quotes without
/// building a string of their own; the others go through serde_json (a test holds the two
/// equal).
fn push_json_string(s: &mut String, text: &str) {
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        s.push('"');
        s.push_str(text);
        s.push('"');
    } else {
        s.push_str(&serde_json::to_string(text).unwrap_or_default());
    }
}

/// The NDJSON line, serialised directly (members in this order; absent ones left out).
#[derive(Serialize)]
struct JsonLine<'a> {
    time: &'a str,
    method: &'a str,
    path: &'a str,
    auth: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub: Option<&'a str>,
    status: u16,
    #[serde(rename = "messageId", skip_serializing_if = "Option::is_none")]
    message_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    ms: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

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
        assert_eq!(
            line(LogFormat::Json, &e).unwrap(),
            r#"{"time":"T","method":"GET","path":"/p","auth":"Bearer","sub":"al ice","status":401,"messageId":"SUB_MISMATCH","reason":"the token's sub\nis wrong","ms":1.2}"#,
            "members in the documented order"
        );
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

    #[test]
    fn subs_are_quoted_as_serde_json_quotes_them() {
        let mut texts: Vec<String> = [
            "", "alice", "é-ü 1", "a\u{7f}b", "x\u{1f}", "\"", "\\", "a\tb",
        ]
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
        // Every character up to U+00FF, between two letters.
        texts.extend(
            (0u32..=0xff)
                .filter_map(char::from_u32)
                .map(|c| format!("a{c}b")),
        );
        for t in &texts {
            let mut s = String::from("x ");
            push_json_string(&mut s, t);
            assert_eq!(
                s,
                format!("x {}", serde_json::to_string(t).unwrap()),
                "{t:?}"
            );
        }
    }

    #[test]
    fn long_paths_are_cut_and_subs_quoted() {
        let path = format!("/{}", "é".repeat(150));
        let note = LogNote {
            auth: AuthNote::Bearer {
                sub: Some("a\"b\nc".into()),
            },
            ..LogNote::default()
        };
        let e = Entry {
            time: "T",
            method: "GET",
            path: &path,
            status: 200,
            millis: 0.04,
            note: &note,
        };
        let shown = format!("/{}…", "é".repeat(99));
        assert_eq!(
            line(LogFormat::Text, &e).unwrap(),
            format!("T GET {shown} Bearer sub=\"a\\\"b\\nc\" -> 200 (0.0 ms)")
        );
        let j: Value = serde_json::from_str(&line(LogFormat::Json, &e).unwrap()).unwrap();
        assert_eq!(j["path"], shown.as_str());
        assert_eq!(j["sub"], "a\"b\nc");
        assert_eq!(j["ms"], 0.0);
        assert!(j.get("messageId").is_none() && j.get("reason").is_none());
    }
}
