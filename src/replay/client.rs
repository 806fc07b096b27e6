//! The one place `replay` touches the network: a reqwest client with rustls, no redirects
//! (a 3xx is the answer, and following one to another host would carry the credential there),
//! a connect timeout and a total timeout that also covers reading the body. Every outcome,
//! failures included, comes back as data; failure messages name the host, never the
//! credential.

use super::request::{AUTHORIZATION, Request};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::time::{Duration, Instant};

/// Response bodies beyond this are cut (a Mobile API answer is a few kilobytes).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// A response as received.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// The canonical reason phrase of the status ("" when there is none).
    pub reason: &'static str,
    pub version: &'static str,
    /// In received order; names lowercase, values lossily decoded.
    pub headers: Vec<(String, String)>,
    /// As many bytes as were read; inflated when the answer was gzip (`Content-Encoding`
    /// stays in `headers` as received).
    pub body: Vec<u8>,
    /// Why the body may be incomplete (cut short by the server, a timeout, the size cap).
    pub body_problem: Option<String>,
    pub elapsed: Duration,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why no response arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FailureKind {
    Refused,
    Timeout,
    Tls,
    Dns,
    Connect,
    Other,
}

impl FailureKind {
    pub fn name(self) -> &'static str {
        match self {
            FailureKind::Refused => "refused",
            FailureKind::Timeout => "timeout",
            FailureKind::Tls => "tls",
            FailureKind::Dns => "dns",
            FailureKind::Connect => "connect",
            FailureKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Failure {
    pub kind: FailureKind,
    /// One line naming the host; no credential, no query string.
    pub message: String,
    pub elapsed: Duration,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Response(Response),
    Failed(Failure),
}

impl Outcome {
    pub fn elapsed(&self) -> Duration {
        match self {
            Outcome::Response(r) => r.elapsed,
            Outcome::Failed(f) => f.elapsed,
        }
    }
}

/// A configured client; cheap to clone (connections are pooled and shared).
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    timeout: Duration,
}

/// Installs the TLS crypto provider (ring) for every reqwest client of the process. The choice
/// is made here rather than by a load-time default (see Cargo.toml); calling it again is fine.
pub fn install_tls_provider() {
    // An error only means a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Client {
    /// A client for requests under `base_url`. Proxies from the environment are honoured
    /// except for loopback hosts (a local sandbox is never behind a proxy).
    pub fn new(timeout: Duration, base_url: &str) -> anyhow::Result<Client> {
        install_tls_provider();
        let mut b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout)
            .timeout(timeout)
            .tls_backend_rustls();
        if is_loopback(base_url) {
            b = b.no_proxy();
        }
        let http = b.build().map_err(|e| {
            crate::error::runtime(
                crate::error::ErrorKind::Http,
                format!("cannot set up the HTTP client: {}", e.without_url()),
            )
        })?;
        Ok(Client { http, timeout })
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends `req` to `url` and reads the whole answer.
    pub async fn send(&self, url: &str, req: &Request) -> Outcome {
        let start = Instant::now();
        let fail = |kind, message: String| {
            Outcome::Failed(Failure {
                kind,
                message,
                elapsed: start.elapsed(),
            })
        };
        let Ok(method) = reqwest::Method::from_bytes(req.method.as_bytes()) else {
            return fail(FailureKind::Other, format!("invalid method {}", req.method));
        };
        let headers = match header_map(req) {
            Ok(h) => h,
            Err(message) => return fail(FailureKind::Other, message),
        };
        if let Some((host, port, target)) = plain_http_target(url) {
            return self
                .exchange_h1(start, url, &host, port, &target, req)
                .await;
        }
        self.exchange(start, method, url, headers, req.body.clone())
            .await
    }

    /// [`Client::send`] over plain HTTP with no proxy in the way: the bytes written by
    /// [`super::h1`], header names as spelled.
    async fn exchange_h1(
        &self,
        start: Instant,
        url: &str,
        host: &str,
        port: u16,
        target: &str,
        req: &Request,
    ) -> Outcome {
        let shown_host = host_of(url);
        let headers: Vec<(&str, &str)> =
            req.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let bytes = super::h1::request_bytes(req.method, target, &headers, req.body.as_deref());
        let fail = |kind, message: String| {
            Outcome::Failed(Failure {
                kind,
                message,
                elapsed: start.elapsed(),
            })
        };
        let answer =
            match super::h1::exchange(host, port, &bytes, self.timeout, MAX_BODY_BYTES).await {
                Ok(a) => a,
                Err(super::h1::Failed::Timeout) => {
                    return fail(
                        FailureKind::Timeout,
                        format!(
                            "no answer from {shown_host} within {} (--timeout)",
                            show_duration(self.timeout)
                        ),
                    );
                }
                Err(super::h1::Failed::Refused) => {
                    return fail(
                        FailureKind::Refused,
                        format!("cannot connect to {shown_host}: connection refused"),
                    );
                }
                Err(super::h1::Failed::Dns(why)) => {
                    return fail(
                        FailureKind::Dns,
                        format!("cannot resolve {shown_host}: {why}"),
                    );
                }
                Err(super::h1::Failed::Connect(why)) => {
                    return fail(
                        FailureKind::Connect,
                        format!("cannot connect to {shown_host}: {why}"),
                    );
                }
                Err(super::h1::Failed::Other(why)) => {
                    return fail(
                        FailureKind::Other,
                        format!("request to {shown_host} failed: {why}"),
                    );
                }
            };
        let mut body = answer.body;
        let mut body_problem = answer.body_problem.map(|why| {
            if why.contains("larger than") {
                why
            } else {
                format!(
                    "the response body from {shown_host} was cut short after {} bytes ({why})",
                    body.len()
                )
            }
        });
        inflate(&answer.headers, &mut body, &mut body_problem);
        let reason = reqwest::StatusCode::from_u16(answer.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        Outcome::Response(Response {
            status: answer.status,
            reason,
            version: answer.version,
            headers: answer.headers,
            body,
            body_problem,
            elapsed: start.elapsed(),
        })
    }

    /// A GET with the caller's headers (`audit` asking a token issuer); the caller marks
    /// credential values sensitive. Same policy as [`Client::send`]: no redirects, the timeouts,
    /// the body cap, failures as data.
    pub async fn get(&self, url: &str, headers: HeaderMap) -> Outcome {
        self.exchange(Instant::now(), reqwest::Method::GET, url, headers, None)
            .await
    }

    async fn exchange(
        &self,
        start: Instant,
        method: reqwest::Method,
        url: &str,
        headers: HeaderMap,
        body: Option<String>,
    ) -> Outcome {
        let host = host_of(url);
        let fail = |kind, message: String| {
            Outcome::Failed(Failure {
                kind,
                message,
                elapsed: start.elapsed(),
            })
        };
        let mut builder = self.http.request(method, url).headers(headers);
        if let Some(body) = body {
            builder = builder.body(body);
        }
        let mut resp = match builder.send().await {
            Ok(r) => r,
            Err(e) => {
                let (kind, message) = describe(&e, &host, url.starts_with("https:"), self.timeout);
                return fail(kind, message);
            }
        };
        let status = resp.status();
        let version = match resp.version() {
            reqwest::Version::HTTP_09 => "HTTP/0.9",
            reqwest::Version::HTTP_10 => "HTTP/1.0",
            reqwest::Version::HTTP_2 => "HTTP/2",
            reqwest::Version::HTTP_3 => "HTTP/3",
            _ => "HTTP/1.1",
        };
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        let mut body_problem = None;
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_BODY_BYTES {
                        body.extend_from_slice(&chunk[..MAX_BODY_BYTES - body.len()]);
                        body_problem = Some(format!(
                            "the response body is larger than {} MiB; the rest was not read",
                            MAX_BODY_BYTES >> 20
                        ));
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    let why = if e.is_timeout() {
                        format!("no more data within {}", show_duration(self.timeout))
                    } else {
                        innermost(&e)
                    };
                    body_problem = Some(format!(
                        "the response body from {host} was cut short after {} bytes ({why})",
                        body.len()
                    ));
                    break;
                }
            }
        }
        inflate(&headers, &mut body, &mut body_problem);
        Outcome::Response(Response {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or(""),
            version,
            headers,
            body,
            body_problem,
            elapsed: start.elapsed(),
        })
    }
}

/// What OkHttp does for the Android SDK: a gzip answer is inflated before it is read.
fn inflate(headers: &[(String, String)], body: &mut Vec<u8>, problem: &mut Option<String>) {
    let gzipped = headers
        .iter()
        .any(|(n, v)| n == "content-encoding" && v.trim().eq_ignore_ascii_case("gzip"));
    if gzipped && problem.is_none() {
        match super::gzip::decode(body, MAX_BODY_BYTES) {
            Ok(plain) => *body = plain,
            Err(why) => *problem = Some(format!("{why}; shown as received")),
        }
    }
}

/// Host, port and request target of an `http://` URL that goes straight to its host: a
/// loopback host, or no proxy configured in the environment (reqwest would honour one).
fn plain_http_target(url: &str) -> Option<(String, u16, String)> {
    let u = reqwest::Url::parse(url).ok()?;
    if u.scheme() != "http" {
        return None;
    }
    let proxied = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()));
    if proxied && !is_loopback(url) {
        return None;
    }
    let host = u.host_str()?;
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let target = match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_string(),
    };
    Some((host, u.port_or_known_default()?, target))
}

/// Names the failure class and says it in one line.
fn describe(
    e: &reqwest::Error,
    host: &str,
    https: bool,
    timeout: Duration,
) -> (FailureKind, String) {
    let cause = innermost(e);
    let lower = chain_text(e).to_ascii_lowercase();
    if e.is_timeout() {
        return (
            FailureKind::Timeout,
            format!(
                "no answer from {host} within {} (--timeout)",
                show_duration(timeout)
            ),
        );
    }
    let (mut refused, mut invalid_data) = (false, false);
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cur {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            refused |= io.kind() == std::io::ErrorKind::ConnectionRefused;
            // rustls reports handshake failures as I/O errors of this kind.
            invalid_data |= io.kind() == std::io::ErrorKind::InvalidData;
        }
        cur = c.source();
    }
    if refused {
        return (
            FailureKind::Refused,
            format!("cannot connect to {host}: connection refused"),
        );
    }
    if lower.contains("dns error") || lower.contains("failed to lookup") {
        return (FailureKind::Dns, format!("cannot resolve {host}: {cause}"));
    }
    let tls_words = [
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "alert",
    ];
    if https && (invalid_data || tls_words.iter().any(|w| lower.contains(w))) {
        return (FailureKind::Tls, format!("TLS with {host} failed: {cause}"));
    }
    if e.is_connect() {
        return (
            FailureKind::Connect,
            format!("cannot connect to {host}: {cause}"),
        );
    }
    (
        FailureKind::Other,
        format!("request to {host} failed: {cause}"),
    )
}

/// The deepest cause's message, which is the informative one (reqwest's own layers say
/// "error sending request"). Never contains the URL: reqwest keeps that at the top.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    let s = cur.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = String::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(c) = cur {
        out.push_str(&c.to_string());
        out.push_str(": ");
        cur = c.source();
    }
    out
}

/// `host:port` of a URL, for messages.
pub fn host_of(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => {
            let host = u.host_str().unwrap_or("?");
            match u.port_or_known_default() {
                Some(p) => format!("{host}:{p}"),
                None => host.to_string(),
            }
        }
        Err(_) => "?".into(),
    }
}

fn is_loopback(url: &str) -> bool {
    let Ok(u) = reqwest::Url::parse(url) else {
        return false;
    };
    let host = u.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `10s`, `300ms`.
pub fn show_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// The request's headers for reqwest, the Authorization value marked sensitive (kept out of
/// any Debug output of the HTTP stack). Errors name the header, never its value.
fn header_map(req: &Request) -> Result<HeaderMap, String> {
    let mut headers = HeaderMap::with_capacity(req.headers.len());
    for (name, value) in &req.headers {
        let Ok(n) = HeaderName::from_bytes(name.as_bytes()) else {
            return Err(format!("invalid header name {name}"));
        };
        let Ok(mut v) = HeaderValue::from_str(value) else {
            // The value is not shown: it may be the credential.
            return Err(format!(
                "the {name} header has characters HTTP cannot carry"
            ));
        };
        if name.eq_ignore_ascii_case(AUTHORIZATION) {
            v.set_sensitive(true);
        }
        headers.append(n, v);
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_authorization_header_is_sensitive_and_bad_values_are_not_shown() {
        let req = Request {
            method: "GET",
            path: "/x".into(),
            query: String::new(),
            headers: vec![
                (AUTHORIZATION, "App secret-app-code".into()),
                ("Accept", "application/json".into()),
            ],
            body: None,
        };
        let h = header_map(&req).unwrap();
        assert!(h["authorization"].is_sensitive());
        assert!(!h["accept"].is_sensitive());
        assert!(!format!("{h:?}").contains("secret-app-code"));
        let bad = Request {
            headers: vec![(AUTHORIZATION, "Bearer a\nb-secret".into())],
            ..req
        };
        let e = header_map(&bad).unwrap_err();
        assert_eq!(
            e,
            "the Authorization header has characters HTTP cannot carry"
        );
    }

    #[test]
    fn hosts_and_loopback() {
        assert_eq!(host_of("http://127.0.0.1:99/x?y"), "127.0.0.1:99");
        assert_eq!(host_of("https://h.example/x"), "h.example:443");
        assert!(is_loopback("http://127.0.0.1:1"));
        assert!(is_loopback("http://[::1]:1"));
        assert!(is_loopback("http://LOCALHOST:1"));
        assert!(!is_loopback("https://mobile.infobip.com"));
    }

    #[test]
    fn durations() {
        assert_eq!(show_duration(Duration::from_secs(10)), "10s");
        assert_eq!(show_duration(Duration::from_millis(300)), "300ms");
    }
}
