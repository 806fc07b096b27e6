//! The sandbox: a local stand-in for the Infobip Mobile API user endpoints (fetch user, save
//! user, personalize, depersonalize, repersonalize) under one of the three "user data
//! authorization" modes, answering every refusal with a `messageId` that says why.
//!
//! This module is the library face ([`Config`], [`Sandbox`], [`SandboxThread`], [`App`]);
//! `mmjwt sandbox` and `replay` are thin users of it. Inside: `api` (the responses; the
//! envelope and messageIds are the wire crate's), `auth` (the Authorization header, via the shared
//! token check), `routes` (HTTP: the routing, the request timeout and the log line, served by
//! [`crate::serve`]), `log` (the request log line and its writer, and the live log others may
//! follow). The data layer is pure and lives in the wire crate (`mmjwt_wire::sandbox`,
//! re-exported here under the same names): `body` (request parsing), `person` (the data types)
//! and `store` (the operations on them), `persist` (the state file).

pub(crate) mod api;
pub(crate) mod auth;
pub(crate) mod log;
pub(crate) mod routes;

pub(crate) use mmjwt_wire::sandbox::{body, persist, store};

use crate::secret::{HmacKey, Secret};
use crate::serve::{Pending, Request};
use crate::token::pitfalls::KeyVariants;
use anyhow::Context as _;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use crate::serve::Limits;
pub use routes::{App, MAX_BODY_BYTES, Shared};

/// What answers every request to one of an [`Extension`]'s paths, whatever its method.
pub type Route = fn(Arc<Shared>, Request) -> Pending;

/// Routes a sandbox serves besides the Mobile API: the route of a path, or `None` for a path
/// the extension does not serve. Its answers pass through the sandbox's request timeout and
/// log like the Mobile API's.
pub type Extension = fn(path: &str) -> Option<Route>;

/// The default listen address of `mmjwt sandbox`.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

/// The three options of the App Profile's "User data authorization" setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Allow all mobile SDK requests (App authorization; Bearer tokens are verified if sent).
    AllowAll,
    /// Allow only mobile SDK requests with JWT authorization.
    JwtOnly,
    /// Disallow all mobile SDK requests to user data.
    Disallow,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::AllowAll => "allow-all",
            Mode::JwtOnly => "jwt-only",
            Mode::Disallow => "disallow",
        }
    }
}

/// How each request is logged on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One human-readable line per request.
    Text,
    /// One JSON object per line (NDJSON).
    Json,
    /// Nothing (in-process use by tests and `replay`).
    Off,
}

/// Where "now" comes from when tokens are judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    /// A fixed Unix time, for tests.
    Fixed(i64),
}

/// Everything a sandbox needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    pub mode: Mode,
    pub app_code: String,
    /// kid -> key; Bearer tokens are verified with the key their `kid` names.
    pub keys: HashMap<String, HmacKey>,
    /// kid -> the keys a mistaken signer would have used with that secret, so a refusal can
    /// say `SECRET_USED_AS_TEXT`. Keys without an entry get the plain refusal.
    pub key_variants: HashMap<String, KeyVariants>,
    /// Refuse unknown push registration ids (NO_REGISTRATION) instead of creating them.
    pub strict_installations: bool,
    /// Installations that exist from the start.
    pub installations: Vec<String>,
    pub reject_replayed_jti: bool,
    /// Seconds of clock skew allowed for `exp`, `nbf` and `iat`.
    pub leeway: i64,
    pub state_file: Option<PathBuf>,
    pub log: LogFormat,
    pub clock: Clock,
    pub limits: Limits,
    /// More routes served next to the Mobile API, behind the same log and timeout (the
    /// debugger page of `crate::ui`; `None` for the Mobile API alone, as with `--no-ui`).
    pub extension: Option<Extension>,
}

impl Config {
    /// Memory only, no keys, no log, the system clock, default limits.
    pub fn new(mode: Mode, app_code: impl Into<String>) -> Config {
        Config {
            mode,
            app_code: app_code.into(),
            keys: HashMap::new(),
            key_variants: HashMap::new(),
            strict_installations: false,
            installations: Vec::new(),
            reject_replayed_jti: false,
            leeway: 0,
            state_file: None,
            log: LogFormat::Off,
            clock: Clock::System,
            limits: Limits::default(),
            extension: None,
        }
    }

    /// Adds a key (builder style).
    #[must_use]
    pub fn with_key(mut self, kid: impl Into<String>, key: HmacKey) -> Config {
        self.keys.insert(kid.into(), key);
        self
    }

    /// Adds a key from its secret, with the variants that name a misused secret.
    #[must_use]
    pub fn with_secret(mut self, kid: impl Into<String>, secret: &Secret) -> Config {
        let kid = kid.into();
        self.keys.insert(kid.clone(), secret.hmac_key());
        self.key_variants
            .insert(kid, KeyVariants::from_secret(secret));
        self
    }
}

/// Whether `id` can be an installation's push registration id in a URL path.
pub fn check_installation_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > routes::MAX_PUSH_REG_ID || id.contains(['/', '?', '#']) {
        return Err(format!(
            "is not usable in a URL path (1 to {} bytes, no '/', '?' or '#')",
            routes::MAX_PUSH_REG_ID
        ));
    }
    Ok(())
}

/// Why the sandbox could not start or stop because of its state file (open, lock, read, save),
/// as opposed to its address or configuration: callers report it as the `state` error kind.
/// Its text is the cause's.
#[derive(Debug)]
pub struct StateFileError(pub anyhow::Error);

impl std::fmt::Display for StateFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

impl std::error::Error for StateFileError {}

/// Marks a state file failure ([`StateFileError`]).
fn state_error(e: anyhow::Error) -> anyhow::Error {
    anyhow::Error::new(StateFileError(e))
}

/// Whether `e` is a failure of the state file.
pub fn is_state_error(e: &anyhow::Error) -> bool {
    e.downcast_ref::<StateFileError>().is_some()
}

/// Loads the state (if any), registers `--installation`s and builds what the handlers share.
pub fn prepare(config: Config) -> anyhow::Result<Arc<Shared>> {
    for id in &config.installations {
        check_installation_id(id).map_err(|e| anyhow::anyhow!("installation id {id:?} {e}"))?;
    }
    let strict = config.strict_installations;
    let (state, mut store) = match &config.state_file {
        Some(path) => {
            let (f, s) = persist::StateFile::open(path, strict).map_err(state_error)?;
            (Some(f), s)
        }
        None => (None, store::Store::new(strict)),
    };
    for id in &config.installations {
        store
            .register(id)
            .map_err(|e| anyhow::anyhow!("cannot register installation {id:?}: {}", e.text))?;
    }
    if store.take_dirty()
        && let Some(f) = &state
    {
        f.save(&store).map_err(state_error)?;
    }
    Ok(Arc::new(Shared {
        mode: config.mode,
        app_code: config.app_code,
        keys: config.keys,
        key_variants: config.key_variants,
        leeway: config.leeway,
        reject_replayed_jti: config.reject_replayed_jti,
        clock: config.clock,
        log: config.log,
        log_sink: (config.log != LogFormat::Off).then(log::Sink::stderr),
        request_timeout: config.limits.request_timeout,
        store: Mutex::new(store),
        jti: Mutex::new(auth::JtiCache::default()),
        state,
        extension: config.extension,
        address: std::sync::OnceLock::new(),
        events: log::events::Hub::default(),
    }))
}

/// The sandbox without a socket, answering requests in-process ([`App::answer`]; no
/// connection, so no header limits).
pub fn app(config: Config) -> anyhow::Result<App> {
    Ok(App::new(prepare(config)?))
}

/// A running sandbox on the current tokio runtime. Dropping it stops the server abruptly;
/// [`Sandbox::shutdown`] stops it gracefully.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Sandbox {
    /// Loads the state, binds `addr` and starts serving.
    pub async fn start(config: Config, addr: SocketAddr) -> anyhow::Result<Sandbox> {
        let limits = config.limits;
        let shared = prepare(config)?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        let addr = listener
            .local_addr()
            .context("cannot read the bound address")?;
        let _ = shared.address.set(addr);
        let (stop, stop_rx) = tokio::sync::watch::channel(false);
        let app = App::new(Arc::clone(&shared));
        let handler: crate::serve::Handler = Arc::new(move |req| {
            let app = app.clone();
            Box::pin(async move { app.answer(req).await })
        });
        let task = tokio::spawn(crate::serve::run(listener, handler, limits, stop_rx));
        Ok(Sandbox {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// `http://HOST:PORT` without a trailing slash (a wildcard address is shown as loopback).
    pub fn url(&self) -> String {
        url_of(self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many installations and persons the store holds.
    pub fn counts(&self) -> (usize, usize) {
        let s = self.shared.store();
        (s.installation_count(), s.person_count())
    }

    /// Stops accepting, lets in-flight requests finish (within the grace period), saves the
    /// state.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        // Open log streams never end by themselves.
        self.shared.events.close();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Some(sink) = &self.shared.log_sink {
            // The log lines of the last requests, before the process may exit.
            sink.flush(Duration::from_secs(5));
        }
        self.shared.save()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

pub(crate) fn url_of(addr: SocketAddr) -> String {
    let shown = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), addr.port())
        }
        _ => addr,
    };
    format!("http://{shown}")
}

/// A sandbox on 127.0.0.1 with a free port, served by its own thread and runtime, for
/// synchronous code. Stops (gracefully) when dropped.
#[derive(Debug)]
pub struct SandboxThread {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SandboxThread {
    pub fn spawn(config: Config) -> anyhow::Result<SandboxThread> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<anyhow::Result<SocketAddr>>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("mmjwt-sandbox".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.into()));
                        return;
                    }
                };
                rt.block_on(async move {
                    let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
                    match Sandbox::start(config, loopback).await {
                        Ok(sb) => {
                            let _ = ready_tx.send(Ok(sb.addr()));
                            let _ = stop_rx.await;
                            let _ = sb.shutdown().await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
            })
            .context("cannot start the sandbox thread")?;
        let addr = ready_rx
            .recv()
            .context("the sandbox thread ended before it started serving")??;
        Ok(SandboxThread {
            addr,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    pub fn url(&self) -> String {
        url_of(self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for SandboxThread {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_have_no_trailing_slash_and_show_loopback_for_wildcards() {
        assert_eq!(
            url_of("127.0.0.1:8787".parse().unwrap()),
            "http://127.0.0.1:8787"
        );
        assert_eq!(url_of("0.0.0.0:1".parse().unwrap()), "http://127.0.0.1:1");
        assert_eq!(url_of("[::]:2".parse().unwrap()), "http://[::1]:2");
    }
}
