//! One call as data ([`Exchange`]) and its renderings: the response on stdout, the request
//! and response heads for `-v`, the request for `--dry-run`, the `--json` object, the one-line
//! batch form, and the exit code. Credentials are redacted here unless `--show-secrets`.

use super::client::{Outcome, Response};
use super::redact::{self, Show};
use super::request::{Auth, Request};
use super::{Call, Platform};
use crate::color::Painter;
use crate::error::exit;
use crate::sdk::SdkVerdict;
use crate::sdk::plugins::{self as sdk_plugins, Plugin};
use crate::sdk::userdata::{self, AppCall, Refusal};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;

/// What the SDK's own validation said before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Preflight {
    /// `App` authorization and user data the SDK lets through: nothing to validate.
    NotApplicable,
    /// `--no-preflight`.
    Skipped,
    Passed,
    /// The token.
    Refused(SdkVerdict),
    /// The call's user data, checked before the token (saveUser, personalize).
    UserDataRefused(Refusal),
}

impl Preflight {
    /// Whether the SDK would not send the request.
    pub(crate) fn refused(&self) -> bool {
        matches!(self, Preflight::Refused(_) | Preflight::UserDataRefused(_))
    }
}

/// Everything about one call.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    pub call: Call,
    pub platform: Platform,
    pub url: String,
    pub request: Request,
    pub auth: Auth,
    /// Batch only: the input line and its user id.
    pub line: Option<(usize, String)>,
    pub preflight: Preflight,
    /// `None` when nothing was sent (preflight refusal, `--dry-run`, `--curl`).
    pub outcome: Option<Outcome>,
}

/// `messageId` and `text` of the Mobile API error envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceException {
    pub message_id: String,
    pub text: String,
}

impl Exchange {
    /// 0 for 2xx, 3/4/5 by status class, 6 without a complete response, 10/11 for a token
    /// refusal, 15 for a user-data refusal.
    pub(crate) fn exit_code(&self) -> u8 {
        match &self.preflight {
            Preflight::Refused(v) => {
                return v
                    .code
                    .map_or(exit::SDK_STRUCTURE, crate::problem::Code::exit_code);
            }
            Preflight::UserDataRefused(_) => return exit::USER_DATA,
            _ => {}
        }
        match &self.outcome {
            None => exit::OK,
            Some(Outcome::Failed(_)) => exit::NETWORK,
            Some(Outcome::Response(r)) if r.body_problem.is_some() => exit::NETWORK,
            Some(Outcome::Response(r)) => status_exit(r.status),
        }
    }

    pub(crate) fn service_exception(&self) -> Option<ServiceException> {
        match &self.outcome {
            Some(Outcome::Response(r)) => service_exception(&r.body),
            _ => None,
        }
    }

    fn shown_header(&self, name: &str, value: &str, show: Show) -> String {
        redact::header_value(name, value, &self.auth, show)
    }
}

/// The exit code of an HTTP status.
pub(crate) fn status_exit(status: u16) -> u8 {
    match status {
        200..=299 => exit::OK,
        300..=399 => exit::HTTP_3XX,
        400..=499 => exit::HTTP_4XX,
        // 5xx, and anything non-standard a server might send.
        _ => exit::HTTP_5XX,
    }
}

/// `{"requestError":{"serviceException":{"messageId":..,"text":..}}}`, if the body is one.
pub(crate) fn service_exception(body: &[u8]) -> Option<ServiceException> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let se = v.get("requestError")?.get("serviceException")?;
    let message_id = match se.get("messageId")? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let text = se.get("text").and_then(Value::as_str).unwrap_or_default();
    Some(ServiceException {
        message_id,
        text: text.to_string(),
    })
}

/// The request as an HTTP/1.1 message: request line, the headers in the order they are sent
/// (`Host` and `Content-Length` among them), a blank line and the body. Each line starts with
/// `prefix`.
pub(crate) fn request_text(ex: &Exchange, show: Show, prefix: &str) -> String {
    let target = super::url::Url::parse(&ex.url)
        .map_or_else(|_| ex.request.path_and_query(), |u| u.target());
    let mut s = format!("{prefix}{} {target} HTTP/1.1\n", ex.request.method);
    for (name, value) in &ex.request.headers {
        let _ = writeln!(s, "{prefix}{name}: {}", ex.shown_header(name, value, show));
    }
    if let Some(body) = &ex.request.body {
        let _ = writeln!(s, "{}\n{prefix}{body}", prefix.trim_end());
    }
    s
}

/// The status line and headers of a response, each line starting with `prefix`.
pub(crate) fn response_head_text(r: &Response, prefix: &str) -> String {
    let mut s = format!("{prefix}{} {} {}\n", r.version, r.status, r.reason);
    for (n, v) in &r.headers {
        let _ = writeln!(s, "{prefix}{n}: {v}");
    }
    s
}

/// What stdout shows for a response: the status line, the error envelope's messageId and
/// text when there is one, and the body (pretty JSON when `pretty`, otherwise as received).
pub(crate) fn response_text(r: &Response, p: Painter, pretty: bool) -> String {
    let status = format!("{} {} {}", r.version, r.status, r.reason);
    let status = match r.status {
        200..=299 => p.ok(&status),
        300..=399 => p.warn(&status),
        _ => p.bad(&status),
    };
    let mut s = format!("{}\n", status.trim_end());
    if let Some(se) = service_exception(&r.body) {
        let _ = writeln!(
            s,
            "{} {}",
            p.bad(&format!("messageId {}:", se.message_id)),
            p.label(&se.text)
        );
    }
    if !r.body.is_empty() {
        let text = match serde_json::from_slice::<Value>(&r.body) {
            Ok(v) if pretty => serde_json::to_string_pretty(&v).unwrap_or_default(),
            _ => String::from_utf8_lossy(&r.body).into_owned(),
        };
        s.push_str(&text);
        if !text.ends_with('\n') {
            s.push('\n');
        }
    }
    s
}

/// The `--json` object of one call.
pub(crate) fn json(ex: &Exchange, show: Show) -> Value {
    let mut headers = Map::new();
    for (name, value) in &ex.request.headers {
        headers.insert(
            (*name).to_string(),
            Value::from(ex.shown_header(name, value, show)),
        );
    }
    let request_body = ex.request.body.as_ref().map_or(Value::Null, |b| {
        serde_json::from_str(b).unwrap_or_else(|_| Value::from(b.as_str()))
    });
    let mut v = json!({
        "call": ex.call.name(),
        "sdk": ex.platform.name(),
    });
    if let Some((line, user)) = &ex.line {
        v["line"] = Value::from(*line);
        v["user_id"] = Value::from(user.as_str());
    }
    v["preflight"] = preflight_json(&ex.preflight, ex.platform);
    v["sent"] = Value::from(ex.outcome.is_some());
    v["request"] = json!({
        "method": ex.request.method,
        "url": ex.url,
        "headers": headers,
        "body": request_body,
    });
    let (response, error) = match &ex.outcome {
        Some(Outcome::Response(r)) => (response_json(r), Value::Null),
        Some(Outcome::Failed(f)) => (
            Value::Null,
            json!({"kind": f.kind.name(), "message": redact::scrub(&f.message, &ex.auth)}),
        ),
        None => (Value::Null, Value::Null),
    };
    v["response"] = response;
    v["elapsed_ms"] = ex
        .outcome
        .as_ref()
        .map_or(Value::Null, |o| Value::from(o.elapsed().as_millis() as u64));
    v["error"] = error;
    v["exit_code"] = Value::from(ex.exit_code());
    v
}

fn preflight_json(p: &Preflight, platform: Platform) -> Value {
    let (status, code, message) = match p {
        Preflight::NotApplicable => ("not-applicable", None, None),
        Preflight::Skipped => ("skipped", None, None),
        Preflight::Passed => ("passed", None, None),
        Preflight::Refused(v) => (
            "refused",
            v.code.map(|c| c.as_str().to_owned()),
            v.message.clone(),
        ),
        Preflight::UserDataRefused(r) => ("refused", Some(r.code()), Some(r.message())),
    };
    let mut v = json!({"sdk": platform.name(), "status": status, "code": code, "message": message});
    match p {
        Preflight::Refused(_) => v["check"] = Value::from("token"),
        Preflight::UserDataRefused(r) => {
            v["check"] = Value::from("user-data");
            v["problems"] = Value::from(r.problems.clone());
            if let Some(d) = r.description() {
                v["description"] = Value::from(d);
            }
        }
        _ => {}
    }
    v
}

fn response_json(r: &Response) -> Value {
    let mut headers = Map::new();
    for (n, v) in &r.headers {
        match headers.get_mut(n) {
            // Repeated headers are joined as HTTP allows.
            Some(Value::String(prev)) => {
                prev.push_str(", ");
                prev.push_str(v);
            }
            _ => {
                headers.insert(n.clone(), Value::from(v.as_str()));
            }
        }
    }
    let (body, is_json) = if r.body.is_empty() {
        (Value::Null, false)
    } else {
        match serde_json::from_slice::<Value>(&r.body) {
            Ok(v) => (v, true),
            Err(_) => (
                Value::from(String::from_utf8_lossy(&r.body).into_owned()),
                false,
            ),
        }
    };
    let se = service_exception(&r.body).map_or(
        Value::Null,
        |s| json!({"messageId": s.message_id, "text": s.text}),
    );
    json!({
        "status": r.status,
        "reason": r.reason,
        "headers": headers,
        "body": body,
        "body_is_json": is_json,
        "body_problem": r.body_problem,
        "service_exception": se,
    })
}

/// The SDK's refusal in one line.
pub(crate) fn refusal_text(v: &SdkVerdict, platform: Platform) -> String {
    format!(
        "the {} SDK would not send this request: {}: {} (--no-preflight sends it anyway)",
        platform.display(),
        v.code.map_or("?", |c| c.as_str()),
        v.message.as_deref().unwrap_or_default()
    )
}

/// The SDK's user-data refusal: a line, then the SDK's message as the app receives it.
pub(crate) fn user_data_refusal_text(r: &Refusal) -> String {
    let code = match r.platform {
        Platform::Android => format!("code {}", r.code()),
        Platform::Ios => format!("NSError code {}", r.code()),
    };
    let mut s = format!(
        "the {} SDK would not send this request: its user data is over the People API limits ({code}; --no-preflight sends it anyway)\n",
        r.platform.display()
    );
    if let Some(d) = r.description() {
        let _ = writeln!(s, "  localizedDescription: {d}");
    }
    for line in r.message().lines() {
        let _ = writeln!(s, "{}", format!("  | {line}").trim_end());
    }
    s
}

/// What one plugin hands the app's catch block for a refused call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PluginObject {
    pub plugin: Plugin,
    /// As the app's code would print it (Dart's `toString`, a JavaScript literal).
    pub text: String,
    pub notes: Vec<&'static str>,
    pub json: Value,
}

/// The plugins' objects for the call's refusal (user data or token); empty when it is sent.
pub(crate) fn plugin_objects(ex: &Exchange, plugins: &[Plugin]) -> Vec<PluginObject> {
    let to_json = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
    match &ex.preflight {
        Preflight::UserDataRefused(r) => {
            let call = match ex.call {
                Call::Personalize => AppCall::Personalize,
                _ => AppCall::SaveUser,
            };
            let errors = userdata::app_errors(r, call);
            plugins
                .iter()
                .map(|&plugin| PluginObject {
                    plugin,
                    text: errors.text(plugin),
                    notes: userdata::notes(r.platform, plugin, call),
                    json: to_json(match plugin {
                        Plugin::Flutter => serde_json::to_value(&errors.flutter),
                        Plugin::ReactNative => serde_json::to_value(&errors.react_native),
                        Plugin::Cordova => serde_json::to_value(&errors.cordova),
                    }),
                })
                .collect()
        }
        Preflight::Refused(v) => {
            let Some(errors) = sdk_plugins::errors(ex.platform, v) else {
                return Vec::new();
            };
            plugins
                .iter()
                .map(|&plugin| {
                    let (text, json) = match errors.js(plugin) {
                        Some(js) => (sdk_plugins::js_text(js), serde_json::to_value(js)),
                        None => (
                            sdk_plugins::dart_text(errors.flutter()),
                            serde_json::to_value(errors.flutter()),
                        ),
                    };
                    PluginObject {
                        plugin,
                        text,
                        notes: sdk_plugins::notes(ex.platform, plugin, v),
                        json: to_json(json),
                    }
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The plugins' objects as `--json` carries them: keyed as in `check --json`.
pub(crate) fn plugins_json(objects: &[PluginObject]) -> Value {
    let mut m = Map::new();
    for o in objects {
        let key = match o.plugin {
            Plugin::Flutter => "flutter",
            Plugin::ReactNative => "react_native",
            Plugin::Cordova => "cordova",
        };
        m.insert(key.into(), o.json.clone());
    }
    Value::Object(m)
}

/// The plugins' objects for the human report: one block per plugin, continuation lines of a
/// multi-line message indented under it.
pub(crate) fn plugins_text(objects: &[PluginObject], platform: Platform) -> String {
    if objects.is_empty() {
        return String::new();
    }
    let mut s = format!(
        "  what the app's catch block receives on {}:\n",
        platform.display()
    );
    for o in objects {
        let mut lines = o.text.lines();
        let _ = writeln!(
            s,
            "    {:<13} {}",
            o.plugin.name(),
            lines.next().unwrap_or_default()
        );
        for line in lines {
            let _ = writeln!(s, "{}", format!("                  {line}").trim_end());
        }
        for n in &o.notes {
            let _ = writeln!(s, "                  note: {n}");
        }
    }
    s
}

/// One line per call in a batch (text mode).
pub(crate) fn batch_line(ex: &Exchange, p: Painter) -> String {
    let (line, user) = ex
        .line
        .as_ref()
        .map_or((0, String::new()), |(l, u)| (*l, printable(u)));
    let what = match (&ex.preflight, &ex.outcome) {
        (Preflight::Refused(v), _) => p.bad(&format!(
            "not sent: {} ({} preflight)",
            v.code.map_or("?", |c| c.as_str()),
            ex.platform.display()
        )),
        (Preflight::UserDataRefused(r), _) => p.bad(&format!(
            "not sent: user data, {} problem(s) ({} preflight, code {})",
            r.problems.len(),
            ex.platform.display(),
            r.code()
        )),
        (_, None) => "not sent".to_string(),
        (_, Some(Outcome::Failed(f))) => p.bad(&format!(
            "network error ({}) after {} ms",
            f.kind.name(),
            f.elapsed.as_millis()
        )),
        (_, Some(Outcome::Response(r))) => {
            let status = format!("{} {}", r.status, r.reason);
            let status = if (200..300).contains(&r.status) {
                p.ok(&status)
            } else {
                p.bad(&status)
            };
            let mut s = status;
            if let Some(se) = service_exception(&r.body) {
                let _ = write!(s, "  {}", se.message_id);
            }
            if r.body_problem.is_some() {
                s.push_str("  (body incomplete)");
            }
            let _ = write!(s, "  {} ms", r.elapsed.as_millis());
            s
        }
    };
    format!("line {line}\t{user}\t{what}\n")
}

/// A user id as it may be shown: control characters escaped, at most 64 characters.
pub(crate) fn printable(s: &str) -> String {
    let mut out: String = s.chars().take(64).flat_map(char::escape_debug).collect();
    if s.chars().count() > 64 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn response(status: u16, body: &str) -> Response {
        Response {
            status,
            reason: "R",
            version: "HTTP/1.1",
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            body_problem: None,
            elapsed: Duration::from_millis(3),
        }
    }

    fn exchange(outcome: Option<Outcome>) -> Exchange {
        Exchange {
            call: Call::FetchUser,
            platform: Platform::Android,
            url: "http://127.0.0.1:9/mobile/1/appinstance/R/user?ri=true".into(),
            request: Request {
                method: "GET",
                path: "/mobile/1/appinstance/R/user".into(),
                query: "ri=true".into(),
                headers: vec![
                    ("Host", "127.0.0.1:9".into()),
                    ("Authorization", "App secret-app-code".into()),
                ],
                body: None,
            },
            auth: Auth::App("secret-app-code".into()),
            line: None,
            preflight: Preflight::NotApplicable,
            outcome,
        }
    }

    #[test]
    fn exit_codes_by_class() {
        for (status, code) in [(200, 0), (204, 0), (302, 3), (401, 4), (503, 5), (700, 5)] {
            let ex = exchange(Some(Outcome::Response(response(status, ""))));
            assert_eq!(ex.exit_code(), code, "{status}");
        }
        let mut r = response(200, "{");
        r.body_problem = Some("cut".into());
        assert_eq!(exchange(Some(Outcome::Response(r))).exit_code(), 6);
        let mut ex = exchange(None);
        assert_eq!(ex.exit_code(), 0);
        ex.preflight = Preflight::Refused(SdkVerdict::expired());
        assert_eq!(ex.exit_code(), 11);
        ex.preflight = Preflight::UserDataRefused(Refusal {
            platform: Platform::Ios,
            problems: vec![
                "middleName exceeds maximum length of 50 characters (actual: 51)".into(),
            ],
        });
        assert_eq!(ex.exit_code(), 15);
        assert!(ex.preflight.refused());
        let v = json(&ex, Show::Redacted);
        assert_eq!(v["preflight"]["check"], "user-data");
        assert_eq!(v["preflight"]["code"], "17");
        assert_eq!(
            v["preflight"]["problems"][0],
            "middleName exceeds maximum length of 50 characters (actual: 51)"
        );
        assert_eq!(v["sent"], false);
        let objects = plugin_objects(&ex, &[Plugin::ReactNative]);
        assert_eq!(objects.len(), 1);
        assert_eq!(plugins_json(&objects)["react_native"]["code"], 17);
    }

    #[test]
    fn envelope_is_found() {
        let b = br#"{"requestError":{"serviceException":{"messageId":"JWT_TOKEN_EXPIRED","text":"expired"}}}"#;
        assert_eq!(
            service_exception(b),
            Some(ServiceException {
                message_id: "JWT_TOKEN_EXPIRED".into(),
                text: "expired".into()
            })
        );
        assert_eq!(service_exception(b"{\"a\":1}"), None);
        assert_eq!(service_exception(b"<html>"), None);
    }

    #[test]
    fn json_is_redacted() {
        let ex = exchange(Some(Outcome::Response(response(200, "not json"))));
        let v = json(&ex, Show::Redacted);
        let s = v.to_string();
        assert!(!s.contains("secret-app-code"), "{s}");
        assert_eq!(
            v["request"]["headers"]["Authorization"],
            "App <redacted: 15 bytes>"
        );
        assert_eq!(v["response"]["body"], "not json");
        assert_eq!(v["response"]["body_is_json"], false);
        assert_eq!(v["exit_code"], 0);
    }

    #[test]
    fn request_text_has_the_headers_in_order_and_redaction() {
        let ex = exchange(None);
        let t = request_text(&ex, Show::Redacted, "> ");
        assert_eq!(
            t,
            "> GET /mobile/1/appinstance/R/user?ri=true HTTP/1.1\n> Host: 127.0.0.1:9\n> Authorization: App <redacted: 15 bytes>\n"
        );
    }

    #[test]
    fn response_text_highlights_the_envelope() {
        let r = response(
            401,
            r#"{"requestError":{"serviceException":{"messageId":"X","text":"why"}}}"#,
        );
        let t = response_text(&r, Painter::plain(), false);
        assert!(t.starts_with("HTTP/1.1 401 R\nmessageId X: why\n{"), "{t}");
        let pretty = response_text(&response(200, r#"{"a":1}"#), Painter::plain(), true);
        assert_eq!(pretty, "HTTP/1.1 200 R\n{\n  \"a\": 1\n}\n");
    }
}
