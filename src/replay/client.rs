//! The one place `replay` and `audit` touch the network: mmjwt's own HTTP/1.1 (`h1`)
//! over TCP, or over TLS (rustls with the ring provider, the system's root certificates), or
//! through a proxy from the environment (`proxy`). Header names go out as spelled on
//! every path. No redirects (a 3xx is the answer, and following one to another host would
//! carry the credential there); one deadline covers connecting, the handshake and reading the
//! body. Connections are kept alive and reused (`pool`), as OkHttp reuses them for the SDK:
//! only after an answer read whole by its framing, and a request that finds its kept
//! connection gone before any answer byte is sent again on a new one only when it is a GET
//! or a HEAD, which the server may see twice without harm (a POST that may have reached the
//! server is reported, never sent twice). Every outcome, failures included, comes back as
//! data; failure messages name the host, never the credential.

use super::h1::{self, Failed};
use super::pool::Pool;
use super::proxy::{self, Proxy};
use super::request::{AUTHORIZATION, Request};
use super::url::Url;
use std::sync::{Arc, OnceLock};
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

/// A configured client; cheap to clone, and the clones share its kept-alive connections.
#[derive(Debug, Clone)]
pub struct Client {
    timeout: Duration,
    proxies: proxy::Settings,
    idle: Arc<Pool<Route, Conn>>,
    /// Built at the first `https://` request: reading the system's certificates costs a
    /// plain-HTTP replay nothing.
    tls: Arc<OnceLock<Result<Arc<rustls::ClientConfig>, String>>>,
}

/// Header pairs whose Debug output shows names only (values may be credentials).
#[derive(Clone, Default)]
pub struct Headers(pub Vec<(String, String)>);

impl std::fmt::Debug for Headers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(n, _)| n))
            .finish()
    }
}

/// Whether HTTP/1.1 can carry `name: value`; the error names the header, never the value.
pub fn check_header(name: &str, value: &str) -> Result<(), String> {
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(tchar) {
        return Err(format!("{name:?} is not a valid header name"));
    }
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Err(format!(
            "the {name} header has characters HTTP cannot carry"
        ));
    }
    Ok(())
}

impl Client {
    /// A client whose requests each finish within `timeout`. Proxies are read from the
    /// environment now. It keeps one idle connection per place; [`Client::keep_idle`] sets
    /// more.
    pub fn new(timeout: Duration) -> Client {
        Client {
            timeout,
            proxies: proxy::Settings::from_env(),
            idle: Arc::new(Pool::new(1)),
            tls: Arc::new(OnceLock::new()),
        }
    }

    /// Keeps up to `per_place` idle connections to each place (a host and port through a
    /// proxy or none): the number of requests in flight at once, so that each concurrent
    /// task finds one.
    #[must_use]
    pub fn keep_idle(mut self, per_place: usize) -> Client {
        self.idle = Arc::new(Pool::new(per_place));
        self
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends `req` to `url` and reads the whole answer.
    pub async fn send(&self, url: &str, req: &Request) -> Outcome {
        let start = Instant::now();
        let headers: Vec<(&str, &str)> =
            req.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.exchange(start, req.method, url, &headers, req.body.as_deref())
            .await
    }

    /// A GET with the caller's headers (`audit` asking a token issuer), after `Host` and
    /// `Accept: */*`; a `user:password@` in the URL becomes a `Basic` Authorization unless the
    /// caller gives one. Same policy as [`Client::send`].
    pub async fn get(&self, url: &str, extra: &Headers) -> Outcome {
        let start = Instant::now();
        let parsed = Url::parse(url);
        let host = parsed.as_ref().map(Url::host_header).unwrap_or_default();
        let basic = parsed
            .ok()
            .and_then(|u| u.userinfo)
            .filter(|_| {
                !extra
                    .0
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case(AUTHORIZATION))
            })
            .map(|u| proxy::basic(&u));
        let mut headers: Vec<(&str, &str)> = vec![("Host", &host), ("Accept", "*/*")];
        if let Some(b) = &basic {
            headers.push((AUTHORIZATION, b));
        }
        headers.extend(extra.0.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        self.exchange(start, "GET", url, &headers, None).await
    }

    async fn exchange(
        &self,
        start: Instant,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Outcome {
        let fail = |kind, message: String| {
            Outcome::Failed(Failure {
                kind,
                message,
                elapsed: start.elapsed(),
            })
        };
        let u = match Url::parse(url) {
            Ok(u) => u,
            Err(e) => return fail(FailureKind::Other, format!("not a usable URL: {e}")),
        };
        let host = u.host_port();
        for (name, value) in headers {
            if let Err(e) = check_header(name, value) {
                return fail(FailureKind::Other, e);
            }
        }
        let proxy = match self.proxies.for_url(&u) {
            Ok(p) => p,
            Err(e) => return fail(FailureKind::Connect, e),
        };
        let deadline = tokio::time::Instant::now() + self.timeout;
        let answer = match self
            .connect_and_exchange(&u, proxy.as_ref(), method, headers, body, deadline)
            .await
        {
            Ok(a) => a,
            Err(f) => {
                let (kind, message) = self.describe(f, &host, proxy.as_ref());
                return fail(kind, message);
            }
        };
        let mut body = answer.body;
        let mut body_problem = answer.body_problem.map(|why| {
            if why.contains("larger than") {
                why
            } else {
                format!(
                    "the response body from {host} was cut short after {} bytes ({why})",
                    body.len()
                )
            }
        });
        inflate(&answer.headers, &mut body, &mut body_problem);
        let reason = http::StatusCode::from_u16(answer.status)
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

    /// Sends the request on a kept connection to the same place when one is there and
    /// still open, else on a new one; keeps the connection again when the answer allows.
    async fn connect_and_exchange(
        &self,
        u: &Url,
        proxy: Option<&Proxy>,
        method: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
        deadline: tokio::time::Instant,
    ) -> Result<h1::Answer, Failed> {
        let bytes = match proxy {
            // A proxy is asked for the absolute URL (without any user:password@); through a
            // tunnel the request is the server's own.
            Some(p) if !u.https() => {
                let target = format!("http://{}{}", u.host_header(), u.target());
                let mut h = headers.to_vec();
                if let Some(a) = &p.authorization {
                    h.push(("Proxy-Authorization", a));
                }
                h1::request_bytes(method, &target, &h, body)
            }
            _ => h1::request_bytes(method, &u.target(), headers, body),
        };
        let route = Route::new(u, proxy);
        let may_keep = !headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("connection") && v.eq_ignore_ascii_case("close"));
        if let Some(mut conn) = self.idle.take(&route, Instant::now(), Conn::still_open) {
            match conn.exchange(&bytes, deadline, self.timeout).await {
                Ok(answer) => {
                    self.keep(route, conn, &answer, may_keep);
                    return Ok(answer);
                }
                // Gone while idle: a GET or HEAD goes again on a new connection.
                Err(Failed::Closed(_)) if matches!(method, "GET" | "HEAD") => {}
                Err(Failed::Closed(why)) => {
                    return Err(Failed::Closed(format!(
                        "{why} on a kept-alive connection; the {method} is not sent again, as it may have reached the server"
                    )));
                }
                Err(e) => return Err(e),
            }
        }
        let mut conn = self.open(u, proxy, deadline).await?;
        let answer = conn.exchange(&bytes, deadline, self.timeout).await?;
        self.keep(route, conn, &answer, may_keep);
        Ok(answer)
    }

    fn keep(&self, route: Route, conn: Conn, answer: &h1::Answer, may_keep: bool) {
        if may_keep && answer.reusable {
            self.idle.put(route, conn, Instant::now());
        }
    }

    /// A new connection to `u`'s host, or to the proxy (through a tunnel for `https://`),
    /// with the TLS handshake done for `https://`.
    async fn open(
        &self,
        u: &Url,
        proxy: Option<&Proxy>,
        deadline: tokio::time::Instant,
    ) -> Result<Conn, Failed> {
        let (to_host, to_port) = match proxy {
            Some(p) => (p.host.as_str(), p.port),
            None => (u.host.as_str(), u.port_or_default()),
        };
        let mut tcp = h1::connect(to_host, to_port, deadline).await?;
        if !u.https() {
            return Ok(Conn::Plain(tcp));
        }
        let connector = self.tls_connector().map_err(Failed::Tls)?;
        if let Some(p) = proxy {
            h1::tunnel(
                &mut tcp,
                &u.host_port(),
                p.authorization.as_deref(),
                deadline,
            )
            .await?;
        }
        let name = rustls::pki_types::ServerName::try_from(u.host.clone())
            .map_err(|e| Failed::Tls(e.to_string()))?;
        match tokio::time::timeout_at(deadline, connector.connect(name, tcp)).await {
            Err(_) => Err(Failed::Timeout),
            Ok(Err(e)) => Err(Failed::Tls(e.to_string())),
            Ok(Ok(s)) => Ok(Conn::Tls(Box::new(s))),
        }
    }

    fn tls_connector(&self) -> Result<tokio_rustls::TlsConnector, String> {
        self.tls
            .get_or_init(tls_config)
            .clone()
            .map(tokio_rustls::TlsConnector::from)
    }

    /// One line naming the failure: the host (or the proxy) and why.
    fn describe(&self, f: Failed, host: &str, proxy: Option<&Proxy>) -> (FailureKind, String) {
        let via = proxy.map_or(String::new(), |p| {
            format!(" through the proxy {}:{} ({})", p.host, p.port, p.variable)
        });
        let reached = proxy.map_or(host.to_string(), |p| {
            format!("the proxy {}:{} ({})", p.host, p.port, p.variable)
        });
        match f {
            Failed::Timeout => (
                FailureKind::Timeout,
                format!(
                    "no answer from {host}{via} within {} (--timeout)",
                    show_duration(self.timeout)
                ),
            ),
            Failed::Refused => (
                FailureKind::Refused,
                format!("cannot connect to {reached}: connection refused"),
            ),
            Failed::Dns(why) => (FailureKind::Dns, format!("cannot resolve {reached}: {why}")),
            Failed::Connect(why) => (
                FailureKind::Connect,
                format!("cannot connect to {host}{via}: {why}"),
            ),
            Failed::Tls(why) => (FailureKind::Tls, format!("TLS with {host} failed: {why}")),
            Failed::Other(why) | Failed::Closed(why) => (
                FailureKind::Other,
                format!("request to {host} failed: {why}"),
            ),
        }
    }
}

/// Where a connection leads: the scheme, the host and port, and the proxy it goes through
/// (with its credential, so that a connection opened with one is never lent to another).
#[derive(Clone, PartialEq, Eq, Hash)]
struct Route {
    https: bool,
    host: String,
    port: u16,
    proxy: Option<(String, u16, Option<String>)>,
}

impl Route {
    fn new(u: &Url, proxy: Option<&Proxy>) -> Route {
        Route {
            https: u.https(),
            host: u.host.clone(),
            port: u.port_or_default(),
            proxy: proxy.map(|p| (p.host.clone(), p.port, p.authorization.clone())),
        }
    }
}

/// An open connection, plain or TLS.
enum Conn {
    Plain(tokio::net::TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<tokio::net::TcpStream>>),
}

impl Conn {
    async fn exchange(
        &mut self,
        bytes: &[u8],
        deadline: tokio::time::Instant,
        timeout: Duration,
    ) -> Result<h1::Answer, Failed> {
        match self {
            Conn::Plain(s) => h1::exchange(s, bytes, deadline, timeout, MAX_BODY_BYTES).await,
            Conn::Tls(s) => {
                h1::exchange(s.as_mut(), bytes, deadline, timeout, MAX_BODY_BYTES).await
            }
        }
    }

    /// Whether a kept connection is still open and quiet: nothing to read yet. The server
    /// closing it while idle (an end of stream, a reset, a TLS close_notify) shows as
    /// something to read, found without waiting.
    fn still_open(&self) -> bool {
        let tcp = match self {
            Conn::Plain(s) => s,
            Conn::Tls(s) => s.get_ref().0,
        };
        let mut byte = [0u8; 1];
        let mut buf = tokio::io::ReadBuf::new(&mut byte);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        tcp.poll_peek(&mut cx, &mut buf).is_pending()
    }
}

/// A TLS client over the ring provider trusting the system's root certificates (the
/// platform's store; `SSL_CERT_FILE` and `SSL_CERT_DIR` name others), speaking HTTP/1.1.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = rustls::RootCertStore::empty();
    let (added, _unparsable) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        let why = found
            .errors
            .first()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default();
        return Err(format!(
            "no trusted root certificates found in the system store{why}; SSL_CERT_FILE or SSL_CERT_DIR can name them"
        ));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
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

/// `host:port` of a URL, for messages.
pub fn host_of(url: &str) -> String {
    Url::parse(url).map_or_else(|_| "?".into(), |u| u.host_port())
}

/// `10s`, `300ms`.
pub fn show_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_headers_are_named_without_their_values() {
        assert!(check_header("X-HTTP-Method-Override", "PATCH").is_ok());
        assert!(check_header("sessionId", "a\tb").is_ok());
        let e = check_header(AUTHORIZATION, "Bearer a\nb-secret").unwrap_err();
        assert_eq!(
            e,
            "the Authorization header has characters HTTP cannot carry"
        );
        assert!(check_header("bad name", "v").is_err());
        assert!(check_header("", "v").is_err());
        let h = Headers(vec![("X-Api-Key".into(), "hush-hush".into())]);
        assert!(!format!("{h:?}").contains("hush"));
    }

    #[test]
    fn hosts_for_messages() {
        assert_eq!(host_of("http://127.0.0.1:99/x?y"), "127.0.0.1:99");
        assert_eq!(host_of("https://h.example/x"), "h.example:443");
    }

    #[test]
    fn durations() {
        assert_eq!(show_duration(Duration::from_secs(10)), "10s");
        assert_eq!(show_duration(Duration::from_millis(300)), "300ms");
    }
}
