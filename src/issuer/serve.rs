//! `mmjwt issuer serve`: a local token endpoint, `GET /token?user=ID` answered with
//! `{"token": ..., "exp": ...}`, signed exactly as `gen` signs ([`Minter`]).
//!
//! It holds the real secret, so it is safe by default: the command binds loopback unless told
//! otherwise; the `Host` must be one of this server's own names (421 otherwise, so a web page
//! cannot reach it through DNS rebinding); a foreign `Origin` or a cross-site fetch is 403 and
//! no CORS header is ever sent; only `GET /token` exists (404, 405); the user id must be 1 to
//! [`MAX_USER_CHARS`] characters (400). Every answer is JSON with the debugger page's security
//! headers. One log line per request names the user id and the status, never the token.
//!
//! [`answer`] is the pure core (request in, outcome out, `now` and the `jti` passed in); it is
//! served by the sandbox's accept loop ([`crate::serve::run`]: HTTP/1 with the sandbox's header
//! limits and timeout), every path and method to one handler.

use crate::sandbox::Limits;
use crate::serve::{self, Request, Response};
use crate::token::mint::{Claims, JtiSource, Minter};
use http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Where `serve` listens unless `--listen` says otherwise: loopback only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8788";

/// The longest user id served: the SDKs' limit on an external user id.
pub const MAX_USER_CHARS: usize = 256;

/// The Android emulator's name for the host's loopback: an app in the emulator calls
/// `http://10.0.2.2:PORT/token`, so that `Host` is this server's own too.
pub const ANDROID_EMULATOR_HOST: &str = "10.0.2.2";

/// The only path.
pub const TOKEN_PATH: &str = "/token";

/// What signs: the app code, the minter (key id and key) and the lifetime.
#[derive(Debug, Clone)]
pub struct Issuer {
    pub app_code: String,
    pub minter: Minter,
    /// Seconds from `iat` to `exp`.
    pub ttl: i64,
}

/// What one request gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 200 with the token and its `exp`.
    Token { token: String, exp: i64 },
    /// A refusal: its status, a stable kind and a message.
    Refused {
        status: StatusCode,
        kind: &'static str,
        message: String,
    },
}

impl Outcome {
    pub fn status(&self) -> StatusCode {
        match self {
            Outcome::Token { .. } => StatusCode::OK,
            Outcome::Refused { status, .. } => *status,
        }
    }
}

fn refused(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Outcome {
    Outcome::Refused {
        status,
        kind,
        message: message.into(),
    }
}

/// The `Host` values this server answers to: the debugger page's list for its address (its
/// loopback names and a specific bound address), and the Android emulator's alias. A server
/// bound to every interface also answers to any IP literal with its port: an address typed as
/// digits cannot be a rebound DNS name.
pub fn host_allowed(host: &str, own: SocketAddr) -> bool {
    let host = host.to_ascii_lowercase();
    let port = own.port();
    if crate::ui::guard::allowed_hosts(own).contains(&host)
        || host == format!("{ANDROID_EMULATOR_HOST}:{port}")
    {
        return true;
    }
    own.ip().is_unspecified()
        && host
            .parse::<SocketAddr>()
            .is_ok_and(|a| a.port() == port && !a.ip().is_unspecified())
}

/// Judges one request and, when it is a good `GET /token`, signs the token (pure: `now` and
/// the `jti` come from the caller). Also returns the user id as asked, for the log.
pub fn answer(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    own: SocketAddr,
    issuer: &Issuer,
    now: i64,
    jti: &str,
) -> (Outcome, Option<String>) {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if !host.is_some_and(|h| host_allowed(h, own)) {
        return (
            refused(
                StatusCode::MISDIRECTED_REQUEST,
                "host",
                format!(
                    "this server answers only to the Host 127.0.0.1:{p}, localhost:{p} or {ANDROID_EMULATOR_HOST}:{p} (a different Host is how DNS rebinding reaches a local server)",
                    p = own.port()
                ),
            ),
            None,
        );
    }
    let foreign_origin = headers.get(header::ORIGIN).is_some_and(|o| {
        !o.to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|h| host_allowed(h, own))
    });
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    if foreign_origin || cross_site {
        return (
            refused(
                StatusCode::FORBIDDEN,
                "origin",
                "requests from web pages of other origins are refused",
            ),
            None,
        );
    }
    if uri.path() != TOKEN_PATH {
        return (
            refused(
                StatusCode::NOT_FOUND,
                "not-found",
                "the only path is GET /token?user=ID",
            ),
            None,
        );
    }
    if method != Method::GET {
        return (
            refused(
                StatusCode::METHOD_NOT_ALLOWED,
                "method",
                format!("{method} is not allowed; use GET /token?user=ID"),
            ),
            None,
        );
    }
    let user = match user_of(uri) {
        Ok(u) => u,
        Err(e) => return (refused(StatusCode::BAD_REQUEST, "user", e), None),
    };
    let outcome = if user.is_empty() {
        refused(
            StatusCode::BAD_REQUEST,
            "user",
            "the user parameter is empty; pass the external user id",
        )
    } else if user.chars().count() > MAX_USER_CHARS {
        refused(
            StatusCode::BAD_REQUEST,
            "user",
            format!("the user id is longer than {MAX_USER_CHARS} characters (the SDKs' limit)"),
        )
    } else {
        match now.checked_add(issuer.ttl) {
            Some(exp) => {
                let claims = Claims {
                    sub: &user,
                    app_code: &issuer.app_code,
                    iat: now,
                    exp,
                    jti,
                    iss: Some(&issuer.app_code),
                    extra: &[],
                };
                let (token, _) = issuer.minter.clone().mint(&claims);
                Outcome::Token { token, exp }
            }
            None => refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "ttl",
                "the lifetime overflows",
            ),
        }
    };
    (outcome, Some(user))
}

/// The one `user` query parameter, percent-decoded (`+` is a space, as in forms). Strict:
/// bytes that are not UTF-8 or a broken `%` escape are refused, never replaced, since the
/// token would otherwise carry a different `sub` than the app asked for.
fn user_of(uri: &Uri) -> Result<String, String> {
    let mut found: Option<String> = None;
    for pair in uri.query().unwrap_or_default().split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if form_decode(key).as_deref() != Some("user") {
            continue;
        }
        if found.is_some() {
            return Err("the user parameter is given more than once".into());
        }
        found =
            Some(form_decode(value).ok_or_else(|| {
                "the user parameter is not valid percent-encoded UTF-8".to_string()
            })?);
    }
    found.ok_or_else(|| "missing the user parameter: GET /token?user=ID".into())
}

/// `application/x-www-form-urlencoded` decoding of one name or value; `None` for a broken
/// escape or bytes that are not UTF-8.
fn form_decode(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The HTTP answer for an outcome: JSON, with the security headers and no CORS header.
pub fn response(outcome: &Outcome) -> Response {
    let (status, body) = match outcome {
        Outcome::Token { token, exp } => (
            StatusCode::OK,
            serde_json::json!({"token": token, "exp": exp}),
        ),
        Outcome::Refused {
            status,
            kind,
            message,
        } => (
            *status,
            serde_json::json!({"error": {"kind": kind, "message": message}}),
        ),
    };
    let mut res = serve::response(status, "application/json", body.to_string());
    let h = res.headers_mut();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        h.insert(header::ALLOW, HeaderValue::from_static("GET"));
    }
    crate::ui::guard::secure(h);
    res
}

/// The log line for one request: method, path, the user id (JSON-quoted, so any character
/// is shown safely; cut at [`MAX_USER_CHARS`]) and the status. Never the token.
pub fn log_line(method: &Method, uri: &Uri, user: Option<&str>, status: StatusCode) -> String {
    let user = user.map_or_else(
        || "-".to_string(),
        |u| {
            let cut: String = u.chars().take(MAX_USER_CHARS).collect();
            let more = if cut.len() < u.len() { "…" } else { "" };
            format!("{}{more}", serde_json::Value::String(cut))
        },
    );
    format!("{method} {} user={user} {}", uri.path(), status.as_u16())
}

/// Where log lines go (the command prints them on stderr; tests collect them).
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// A running server.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Binds `addr` and serves until [`Server::shutdown`].
    pub async fn start(issuer: Issuer, addr: SocketAddr, log: Log) -> std::io::Result<Server> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stop_rx) = watch::channel(false);
        let state = Arc::new(State {
            issuer,
            own: addr,
            jtis: Mutex::new(JtiSource::default()),
            log,
        });
        let task = tokio::spawn(accept(listener, state, Limits::default(), stop_rx));
        Ok(Server { addr, stop, task })
    }

    /// The bound address (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The token URL without the user id: `http://127.0.0.1:PORT/token?user=`.
    pub fn url(&self) -> String {
        format!("{}{TOKEN_PATH}?user=", crate::sandbox::url_of(self.addr))
    }

    /// Stops accepting, lets requests in flight finish (within the grace period), returns.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

struct State {
    issuer: Issuer,
    own: SocketAddr,
    jtis: Mutex<JtiSource>,
    log: Log,
}

/// Answers one request (a `HEAD` gets the headers of the `GET` answer, no body) and logs it.
fn handle(state: &State, req: &Request) -> Response {
    let jti = state
        .jtis
        .lock()
        .map_err(|_| ())
        .and_then(|mut j| j.next_uuid().map_err(|_| ()));
    let (outcome, user) = match jti {
        Ok(jti) => answer(
            req.method(),
            req.uri(),
            req.headers(),
            state.own,
            &state.issuer,
            crate::time::now_unix(),
            &jti,
        ),
        Err(()) => (
            refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "random",
                "the operating system gave no randomness for the jti",
            ),
            None,
        ),
    };
    (state.log)(&log_line(
        req.method(),
        req.uri(),
        user.as_deref(),
        outcome.status(),
    ));
    let mut res = response(&outcome);
    serve::finish(&mut res, req.method());
    res
}

/// The accept loop the sandbox uses (HTTP/1 with a timer, a header-read timeout and header
/// limits; shutdown stops accepting and lets each connection finish its request), with every
/// request going to [`handle`].
async fn accept(
    listener: TcpListener,
    state: Arc<State>,
    limits: Limits,
    stop: watch::Receiver<bool>,
) {
    let handler: serve::Handler = Arc::new(move |req| {
        let res = handle(&state, &req);
        Box::pin(async move { res })
    });
    serve::run(listener, handler, limits, stop).await;
}

/// True for an address only this machine can reach.
pub fn is_loopback(addr: SocketAddr) -> bool {
    match addr.ip() {
        IpAddr::V4(ip) => ip.is_loopback(),
        IpAddr::V6(ip) => ip.is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::HmacKey;

    const OWN: &str = "127.0.0.1:8788";

    fn issuer() -> Issuer {
        Issuer {
            app_code: "app".into(),
            minter: Minter::new("kid", HmacKey::new(&[7; 32])),
            ttl: 900,
        }
    }

    fn ask(
        method: Method,
        target: &str,
        pairs: &[(&'static str, &str)],
    ) -> (Outcome, Option<String>) {
        let mut h = HeaderMap::new();
        for (n, v) in pairs {
            h.insert(*n, HeaderValue::from_str(v).unwrap());
        }
        let uri: Uri = target.parse().unwrap();
        answer(
            &method,
            &uri,
            &h,
            OWN.parse().unwrap(),
            &issuer(),
            1_700_000_000,
            "j-1",
        )
    }

    fn status(o: &(Outcome, Option<String>)) -> u16 {
        o.0.status().as_u16()
    }

    #[test]
    fn a_good_request_gets_the_token_gen_makes() {
        let (o, user) = ask(
            Method::GET,
            "/token?user=Jos%C3%A9+%2B%2F",
            &[("host", OWN)],
        );
        assert_eq!(user.as_deref(), Some("José +/"));
        let Outcome::Token { token, exp } = o else {
            panic!("{o:?}")
        };
        assert_eq!(exp, 1_700_000_900);
        let (want, _) = issuer().minter.mint(&Claims {
            sub: "José +/",
            app_code: "app",
            iat: 1_700_000_000,
            exp,
            jti: "j-1",
            iss: Some("app"),
            extra: &[],
        });
        assert_eq!(token, want);
    }

    #[test]
    fn refusals_have_their_statuses() {
        let host = ("host", OWN);
        assert_eq!(
            status(&ask(
                Method::GET,
                "/token?user=a",
                &[("host", "evil.example:8788")]
            )),
            421
        );
        assert_eq!(status(&ask(Method::GET, "/token?user=a", &[])), 421);
        assert_eq!(
            status(&ask(
                Method::GET,
                "/token?user=a",
                &[("host", "127.0.0.1:1")]
            )),
            421
        );
        assert_eq!(
            status(&ask(
                Method::GET,
                "/token?user=a",
                &[host, ("origin", "http://evil.example")]
            )),
            403
        );
        assert_eq!(
            status(&ask(
                Method::GET,
                "/token?user=a",
                &[host, ("sec-fetch-site", "cross-site")]
            )),
            403
        );
        assert_eq!(status(&ask(Method::GET, "/", &[host])), 404);
        assert_eq!(status(&ask(Method::POST, "/token?user=a", &[host])), 405);
        assert_eq!(status(&ask(Method::GET, "/token", &[host])), 400);
        assert_eq!(status(&ask(Method::GET, "/token?user=", &[host])), 400);
        assert_eq!(
            status(&ask(Method::GET, "/token?user=a&user=b", &[host])),
            400
        );
        for bad in [
            "/token?user=%FF",
            "/token?user=%C3",
            "/token?user=%G1",
            "/token?user=a%2",
        ] {
            assert_eq!(status(&ask(Method::GET, bad, &[host])), 400, "{bad}");
        }
        assert_eq!(
            ask(Method::GET, "/token?x=1&user=a%2Bb+c%20d&y", &[host])
                .1
                .as_deref(),
            Some("a+b c d")
        );
        let at_limit = format!("/token?user={}", "%C3%A9".repeat(MAX_USER_CHARS));
        assert_eq!(status(&ask(Method::GET, &at_limit, &[host])), 200);
        let over = format!("/token?user={}", "x".repeat(MAX_USER_CHARS + 1));
        assert_eq!(status(&ask(Method::GET, &over, &[host])), 400);
        for ok in ["localhost:8788", "10.0.2.2:8788", "[::1]:8788"] {
            assert_eq!(
                status(&ask(Method::GET, "/token?user=a", &[("host", ok)])),
                200,
                "{ok}"
            );
        }
    }

    #[test]
    fn an_all_interfaces_server_answers_to_ip_literals_only() {
        let any: SocketAddr = "0.0.0.0:80".parse().unwrap();
        assert!(host_allowed("192.168.1.5:80", any));
        assert!(!host_allowed("192.168.1.5:81", any));
        assert!(!host_allowed("rebound.example:80", any));
        assert!(!host_allowed("192.168.1.5:80", OWN.parse().unwrap()));
    }

    #[test]
    fn answers_are_json_without_cors_and_logs_hold_no_token() {
        let (o, user) = ask(Method::GET, "/token?user=a%0Ab", &[("host", OWN)]);
        let res = response(&o);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/json");
        assert!(
            res.headers()
                .keys()
                .all(|k| !k.as_str().starts_with("access-control-"))
        );
        let Outcome::Token { token, .. } = &o else {
            panic!()
        };
        let uri: Uri = "/token?user=a%0Ab".parse().unwrap();
        let line = log_line(&Method::GET, &uri, user.as_deref(), o.status());
        assert_eq!(line, r#"GET /token user="a\nb" 200"#);
        assert!(!line.contains(token.as_str()));
        assert!(
            is_loopback("127.0.0.1:1".parse().unwrap())
                && !is_loopback("0.0.0.0:1".parse().unwrap())
        );
    }
}
