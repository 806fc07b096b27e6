//! The request each SDK builds for a call: method, path, query, headers and body, from plain
//! inputs. Pure; nothing here knows about sockets or the command line.

use super::body::{self, Personalize};
use super::url::UrlError;
use super::{Call, Platform};
use crate::sdk::gson;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::fmt;

/// The Android SDK version the default User-Agent claims (the snapshot the spec was read from).
pub(crate) const ANDROID_SDK_VERSION: &str = "15.1.0";
/// The iOS SDK version the default User-Agent claims.
pub(crate) const IOS_SDK_VERSION: &str = "15.5.2";

/// The Authorization credential. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Bearer <jwt>`: the JWT supplier returned a token.
    Bearer(String),
    /// `App <applicationCode>`: no token, an anonymous user.
    App(String),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Auth::Bearer(_) => "Auth::Bearer([REDACTED])",
            Auth::App(_) => "Auth::App([REDACTED])",
        })
    }
}

impl Auth {
    /// The header value exactly as sent.
    pub fn header_value(&self) -> String {
        match self {
            Auth::Bearer(t) => format!("Bearer {t}"),
            Auth::App(c) => format!("App {c}"),
        }
    }

    /// The secret part: the token or the application code.
    pub(crate) fn credential(&self) -> &str {
        match self {
            Auth::Bearer(s) | Auth::App(s) => s,
        }
    }
}

/// personalize's three query flags (all false by default in both SDKs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PersonalizeFlags {
    pub force_depersonalize: bool,
    pub keep_as_lead: bool,
    pub set_device_as_primary: bool,
}

/// The body of the call.
#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    None,
    Patch(&'a Map<String, Value>),
    Personalize(&'a Personalize),
}

/// Everything the SDK knows when it builds the request.
#[derive(Debug, Clone, Copy)]
pub struct Spec<'a> {
    pub call: Call,
    pub platform: Platform,
    pub push_reg_id: &'a str,
    pub installation_id: Option<&'a str>,
    pub app_code: &'a str,
    pub auth: &'a Auth,
    pub foreground: bool,
    pub session_id: Option<&'a str>,
    pub user_agent: &'a str,
    pub payload: Payload<'a>,
    pub flags: PersonalizeFlags,
}

pub const AUTHORIZATION: &str = "Authorization";
/// Its value is the base URL's host, filled in by [`Request::set_host`].
pub(crate) const HOST: &str = "Host";
pub(crate) const CONTENT_LENGTH: &str = "Content-Length";

/// A built request. Header names are spelled, and headers ordered, as the SDK (and for Android
/// its HTTP stack) sets them, `Host` and `Content-Length` included. `Debug` redacts the
/// Authorization value.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// The method on the wire.
    pub method: &'static str,
    /// From the first `/`, without the base URL's own path.
    pub path: String,
    /// Without the `?`; empty when there is none.
    pub query: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                if n.eq_ignore_ascii_case(AUTHORIZATION) {
                    (*n, "[REDACTED]")
                } else {
                    (*n, v.as_str())
                }
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

impl Request {
    /// The path plus `?query` when there is one.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// Sets the `Host` header for a request sent under `base`: the host, and the port when it
    /// is not the scheme's default (OkHttp's `hostHeader`).
    pub fn set_host(&mut self, base: &str) {
        let host = super::url::Url::parse(base)
            .map(|u| u.host_header())
            .unwrap_or_default();
        for (name, value) in &mut self.headers {
            if *name == HOST {
                value.clone_from(&host);
            }
        }
    }

    /// The full URL under `base` (already checked by [`check_base_url`], no trailing `/`).
    pub fn url(&self, base: &str) -> String {
        format!("{base}{}", self.path_and_query())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Builds the request `spec` describes.
pub fn build(spec: &Spec<'_>) -> Request {
    let base = format!("/mobile/1/appinstance/{}", spec.push_reg_id);
    let android = spec.platform == Platform::Android;
    let (method, path, query) = match spec.call {
        Call::FetchUser => (
            "GET",
            format!("{base}/user"),
            if android { "ri=true" } else { "ri=1&rt=0" }.to_string(),
        ),
        // Android's HTTP client cannot PATCH: it POSTs with a method-override header.
        Call::PatchUser if android => ("POST", format!("{base}/user"), String::new()),
        Call::PatchUser => ("PATCH", format!("{base}/user"), "ri=0&rt=0".to_string()),
        Call::Personalize => (
            "POST",
            format!("{base}/personalize"),
            personalize_query(spec.flags, spec.platform),
        ),
    };
    let body = match spec.payload {
        Payload::None => None,
        Payload::Patch(m) => Some(body::patch_json(m, spec.platform)),
        Payload::Personalize(p) => Some(body::personalize_json(p, spec.platform)),
    };
    let body_len = body.as_ref().map(String::len);
    let headers = if android {
        android_headers(spec, body_len)
    } else {
        ios_headers(spec, body_len)
    };
    Request {
        method,
        path,
        query,
        headers,
        body,
    }
}

/// Android's headers in the order the SDK sets them (spec 5.9): `X-HTTP-Method-Override`
/// first (saveUser), then the request's header map — a `java.util.HashMap` holding
/// `Authorization` and the interceptor's `foreground`, `sessionId`, `installationid`,
/// `pushregistrationid` and `applicationcode`, in its iteration order —, `Accept`,
/// `User-Agent`, and with a body `Content-Length` before `Content-Type`. Then what OkHttp (inside
/// Android's `HttpURLConnection`) appends when the request lacks them: `Host`,
/// `Connection: Keep-Alive` and `Accept-Encoding: gzip` (read in OkHttp's source, not run).
fn android_headers(spec: &Spec<'_>, body_len: Option<usize>) -> Vec<(&'static str, String)> {
    let mut h: Vec<(&'static str, String)> = Vec::new();
    if spec.call == Call::PatchUser {
        h.push(("X-HTTP-Method-Override", "PATCH".to_string()));
    }
    let mut map: Vec<(&'static str, String)> = vec![
        (AUTHORIZATION, spec.auth.header_value()),
        ("foreground", spec.foreground.to_string()),
    ];
    // Android sends the session id only in the foreground and when it is not blank.
    if let Some(s) = spec
        .session_id
        .filter(|s| spec.foreground && !s.trim().is_empty())
    {
        map.push(("sessionId", s.to_string()));
    }
    if let Some(id) = spec.installation_id {
        map.push(("installationid", id.to_string()));
    }
    map.push(("pushregistrationid", spec.push_reg_id.to_string()));
    map.push(("applicationcode", application_code_hash(spec.app_code)));
    let names: Vec<&str> = map.iter().map(|(n, _)| *n).collect();
    for name in gson::java_order(&names, gson::Made::Default) {
        if let Some(entry) = map.iter().find(|(n, _)| *n == name) {
            h.push(entry.clone());
        }
    }
    h.push(("Accept", "application/json".to_string()));
    h.push(("User-Agent", spec.user_agent.to_string()));
    if let Some(len) = body_len {
        h.push((CONTENT_LENGTH, len.to_string()));
        h.push(("Content-Type", "application/json".to_string()));
    }
    h.push((HOST, String::new()));
    h.push(("Connection", "Keep-Alive".to_string()));
    h.push(("Accept-Encoding", "gzip".to_string()));
    h
}

/// iOS's headers in the order `RequestData.headers` lists them; the SDK leaves the order on
/// the wire to URLSession (a Swift dictionary), so `Host` first and `Content-Length` last are
/// mmjwt's choice.
fn ios_headers(spec: &Spec<'_>, body_len: Option<usize>) -> Vec<(&'static str, String)> {
    let mut h: Vec<(&'static str, String)> = vec![
        (HOST, String::new()),
        (AUTHORIZATION, spec.auth.header_value()),
        ("applicationcode", application_code_hash(spec.app_code)),
        ("User-Agent", spec.user_agent.to_string()),
        ("foreground", spec.foreground.to_string()),
        ("pushregistrationid", spec.push_reg_id.to_string()),
    ];
    if let Some(s) = spec.session_id {
        h.push(("sessionId", s.to_string()));
    }
    h.push(("Accept", "application/json".to_string()));
    // iOS sets Content-Type on every request, GET included.
    h.push(("Content-Type", "application/json".to_string()));
    if let Some(id) = spec.installation_id {
        h.push(("installationid", id.to_string()));
    }
    if let Some(len) = body_len {
        h.push((CONTENT_LENGTH, len.to_string()));
    }
    h
}

/// Android: `true`/`false` in `HashMap` order; iOS: `1`/`0` sorted by name.
fn personalize_query(flags: PersonalizeFlags, platform: Platform) -> String {
    let pairs = [
        ("forceDepersonalize", flags.force_depersonalize),
        ("keepAsLead", flags.keep_as_lead),
        ("setDeviceAsPrimary", flags.set_device_as_primary),
    ];
    let value = |name: &str| pairs.iter().find(|(n, _)| *n == name).is_some_and(|p| p.1);
    let names: Vec<&str> = pairs.iter().map(|p| p.0).collect();
    match platform {
        Platform::Android => gson::hashmap_order(&names, gson::grown_capacity(names.len()))
            .into_iter()
            .map(|n| format!("{n}={}", value(n)))
            .collect::<Vec<_>>()
            .join("&"),
        Platform::Ios => names
            .iter()
            .map(|n| format!("{n}={}", u8::from(value(n))))
            .collect::<Vec<_>>()
            .join("&"),
    }
}

/// The `applicationcode` header: the first 10 lowercase hex digits of SHA-256 of the code.
pub(crate) fn application_code_hash(app_code: &str) -> String {
    let digest = Sha256::digest(app_code.as_bytes());
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// The User-Agent each SDK builds, with mmjwt's own device and app fields.
pub fn default_user_agent(platform: Platform) -> String {
    let app_version = env!("CARGO_PKG_VERSION");
    match platform {
        // 8 system fields (OS, OS version, ABI, model, manufacturer, app name, app version,
        // device name), then 6 carrier fields, empty as when carrier info is unavailable.
        Platform::Android => format!(
            "Infobip Mobile API Client/{ANDROID_SDK_VERSION}(Android;14;arm64-v8a;mmjwt-replay;mmjwt;mmjwt;{app_version};mmjwt-replay;;;;;;)"
        ),
        // OS, OS version, (arch: always empty), model, (manufacturer: always empty), bundle id,
        // app version, device name, carrier, MNC, MCC.
        Platform::Ios => format!(
            "MobileMessaging/{IOS_SDK_VERSION}(iOS;17.5;;mmjwt-replay;;org.mmjwt.replay;{app_version};mmjwt-replay;;;)"
        ),
    }
}

/// Checks a `--user-agent`: printable ASCII only, as the Android SDK leaves it.
pub fn check_user_agent(ua: &str) -> Result<(), String> {
    if ua.is_empty() || !ua.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err("must be non-empty printable ASCII".into());
    }
    Ok(())
}

/// Checks a push registration id: both SDKs put it into the path without encoding, so only
/// characters that need none are accepted.
pub fn check_push_reg_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id != "."
        && id != ".."
        && id.len() <= 256
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
    if ok {
        Ok(())
    } else {
        Err("must be 1-256 characters of A-Z a-z 0-9 - _ . ~ (the SDKs put it into the path unencoded)".into())
    }
}

/// Checks another id that travels in a header.
pub fn check_header_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > 256 || !id.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        return Err("must be 1-256 visible ASCII characters".into());
    }
    Ok(())
}

/// Checks `--base-url` and returns it without a trailing `/`: http or https, a host, no user
/// info (it would be printed), no query or fragment. A path prefix is kept.
pub fn check_base_url(text: &str) -> Result<String, String> {
    let url = super::url::Url::parse(text).map_err(|e| match e {
        UrlError::Scheme(found) => UrlError::scheme_rule(&found),
        e => format!("not a URL ({e}); e.g. http://127.0.0.1:8080"),
    })?;
    if url.userinfo.is_some() {
        return Err("must not carry a user name or password".into());
    }
    if url.query.is_some() || url.fragment.is_some() {
        return Err("must not have a query or fragment".into());
    }
    Ok(url.as_string().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec<'a>(call: Call, platform: Platform, auth: &'a Auth, payload: Payload<'a>) -> Spec<'a> {
        Spec {
            call,
            platform,
            push_reg_id: "REG-1",
            installation_id: Some("inst-1"),
            app_code: "test-app-code",
            auth,
            foreground: true,
            session_id: None,
            user_agent: "UA",
            payload,
            flags: PersonalizeFlags::default(),
        }
    }

    #[test]
    fn application_code_hash_vector() {
        assert_eq!(application_code_hash("test-app-code"), "03936b895e");
    }

    #[test]
    fn fetch_user_per_flavour() {
        let auth = Auth::App("test-app-code".into());
        let a = build(&spec(
            Call::FetchUser,
            Platform::Android,
            &auth,
            Payload::None,
        ));
        assert_eq!(
            (a.method, a.path_and_query().as_str()),
            ("GET", "/mobile/1/appinstance/REG-1/user?ri=true")
        );
        assert_eq!(a.header("content-type"), None);
        assert_eq!(a.header("Authorization"), Some("App test-app-code"));
        let i = build(&spec(Call::FetchUser, Platform::Ios, &auth, Payload::None));
        assert_eq!(
            i.path_and_query(),
            "/mobile/1/appinstance/REG-1/user?ri=1&rt=0"
        );
        assert_eq!(i.header("Content-Type"), Some("application/json"));
        assert_eq!(i.body, None);
    }

    #[test]
    fn patch_user_per_flavour() {
        let auth = Auth::Bearer("t.o.k".into());
        let m = body::check_patch(serde_json::json!({"firstName": "A"})).unwrap();
        let a = build(&spec(
            Call::PatchUser,
            Platform::Android,
            &auth,
            Payload::Patch(&m),
        ));
        assert_eq!(a.method, "POST");
        assert_eq!(a.query, "");
        assert_eq!(a.header("X-HTTP-Method-Override"), Some("PATCH"));
        assert_eq!(a.body.as_deref(), Some(r#"{"firstName":"A"}"#));
        let i = build(&spec(
            Call::PatchUser,
            Platform::Ios,
            &auth,
            Payload::Patch(&m),
        ));
        assert_eq!(i.method, "PATCH");
        assert_eq!(i.query, "ri=0&rt=0");
        assert_eq!(i.header("X-HTTP-Method-Override"), None);
    }

    #[test]
    fn personalize_queries() {
        let auth = Auth::App("c".into());
        let p = Personalize::default().for_user("alice");
        let mut s = spec(
            Call::Personalize,
            Platform::Android,
            &auth,
            Payload::Personalize(&p),
        );
        assert_eq!(
            build(&s).query,
            "setDeviceAsPrimary=false&keepAsLead=false&forceDepersonalize=false"
        );
        s.flags.force_depersonalize = true;
        assert_eq!(
            build(&s).query,
            "setDeviceAsPrimary=false&keepAsLead=false&forceDepersonalize=true"
        );
        s.platform = Platform::Ios;
        s.flags.keep_as_lead = true;
        assert_eq!(
            build(&s).query,
            "forceDepersonalize=1&keepAsLead=1&setDeviceAsPrimary=0"
        );
    }

    #[test]
    fn session_id_rules() {
        let auth = Auth::App("c".into());
        let mut s = spec(Call::FetchUser, Platform::Android, &auth, Payload::None);
        s.session_id = Some("sess");
        assert_eq!(build(&s).header("sessionId"), Some("sess"));
        s.foreground = false;
        assert_eq!(build(&s).header("sessionId"), None);
        assert_eq!(build(&s).header("foreground"), Some("false"));
        s.platform = Platform::Ios;
        assert_eq!(build(&s).header("sessionId"), Some("sess"));
    }

    #[test]
    fn debug_redacts_the_credential() {
        let auth = Auth::Bearer("secret.token.value".into());
        let r = build(&spec(Call::FetchUser, Platform::Ios, &auth, Payload::None));
        let d = format!("{r:?} {auth:?}");
        assert!(!d.contains("secret.token.value"), "{d}");
    }

    #[test]
    fn base_url_checks() {
        assert_eq!(
            check_base_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            check_base_url("https://h.example/api/").unwrap(),
            "https://h.example/api"
        );
        assert!(check_base_url("ftp://h").is_err());
        assert!(check_base_url("http://u:p@h").is_err());
        assert!(check_base_url("http://h/?a=1").is_err());
        assert!(check_base_url("nope").is_err());
    }

    #[test]
    fn id_checks() {
        assert!(check_push_reg_id("AbC-1_2.3~").is_ok());
        for bad in ["", "..", "a/b", "a b", "a?b", "é"] {
            assert!(check_push_reg_id(bad).is_err(), "{bad}");
        }
        assert!(check_user_agent("X/1 (a;b)").is_ok());
        assert!(check_user_agent("X\n").is_err());
        assert!(check_header_id("a b").is_err());
    }

    #[test]
    fn default_user_agents_have_the_sdk_field_counts() {
        let a = default_user_agent(Platform::Android);
        let inner = a.split_once('(').unwrap().1.trim_end_matches(')');
        assert_eq!(inner.split(';').count(), 14);
        assert!(a.starts_with("Infobip Mobile API Client/"));
        let i = default_user_agent(Platform::Ios);
        let inner = i.split_once('(').unwrap().1.trim_end_matches(')');
        assert_eq!(inner.split(';').count(), 11);
        assert!(i.starts_with("MobileMessaging/"));
    }
}
