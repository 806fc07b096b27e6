//! `mmjwt sandbox`: turns flags and environment into a [`Config`] (generating credentials the
//! user did not give, and showing them once), starts the server, prints the base URL as the
//! first stdout line, and stops gracefully on SIGINT or SIGTERM.

use super::load_secret;
use crate::cli::sandbox::SandboxArgs;
use crate::error::{ErrorKind, runtime, usage};
use crate::sandbox::{Config, LogFormat, Sandbox};
use crate::secret::Secret;
use crate::secret::SecretText;
use crate::secret::random_key_id;
use crate::shell::Shell;
use std::io::Write as _;
use std::time::Duration;

/// Said before credentials made up for this run. A constant, because a string literal longer
/// than rustfmt's line width makes it give up on the whole `block_on` block around it.
const GENERATED_NOTE: &str = "mmjwt: sandbox: no credentials given; \
    these were generated for this run only (sign tokens with them):";

pub(crate) fn run(args: &SandboxArgs, shell: &Shell) -> anyhow::Result<u8> {
    let leeway = args.leeway;
    let timeout = args.request_timeout;
    let mut keys = parse_key_flags(&args.keys, shell)?;
    add_single_key(args, shell, &mut keys)?;

    let mut generated = Vec::new();
    let app_code = match &args.cred.app_code {
        Some(c) if c.is_empty() => return Err(usage("the app code is empty")),
        Some(c) => c.clone(),
        None => {
            let code = random_hex(16)?;
            generated.push(format!("MMJWT_APP_CODE={code}"));
            code
        }
    };
    if keys.is_empty() {
        let fail = |e: std::io::Error| {
            runtime(ErrorKind::Random, format!("no randomness from the OS: {e}"))
        };
        let kid = random_key_id("sandbox").map_err(fail)?;
        let secret = Secret::random().map_err(fail)?;
        generated.push(format!("MMJWT_KEY_ID={kid}"));
        generated.push(format!("MMJWT_SECRET={}", secret.expose_hex()));
        keys.push((kid, secret));
    }

    let mut config = Config::new(args.mode, app_code.clone());
    let mut kid_list = Vec::new();
    for (kid, secret) in &keys {
        kid_list.push(format!("{kid} ({} bytes)", secret.len()));
        config = config.with_secret(kid.clone(), secret);
    }
    drop(keys);
    config.strict_installations = args.strict_installations;
    config.installations.clone_from(&args.installations);
    config.reject_replayed_jti = args.reject_replayed_jti;
    config.leeway = leeway;
    config.state_file.clone_from(&args.state);
    config.log = args.log_format.unwrap_or(if shell.json {
        LogFormat::Json
    } else {
        LogFormat::Text
    });
    config.limits.request_timeout = Duration::from_secs(timeout.unsigned_abs());
    if !args.no_ui {
        config.extension = Some(crate::ui::routes);
    }

    if !args.listen.ip().is_loopback() {
        shell.warn(&format!(
            "listening on {}, which is not a loopback address: anyone who can reach it can read and change the sandbox's data",
            args.listen.ip()
        ));
    }

    let rt = crate::shell::async_runtime(None)?;
    rt.block_on(async {
        // Signal handlers go in before the URL is printed, so a script that reads the URL and
        // sends SIGTERM at once still gets a graceful stop.
        let signals = Signals::install()?;
        let sandbox = Sandbox::start(config, args.listen).await.map_err(|e| {
            let kind = if crate::sandbox::is_state_error(&e) {
                ErrorKind::State
            } else {
                ErrorKind::Sandbox
            };
            runtime(kind, format!("{e:#}"))
        })?;
        let url = sandbox.url();
        if !generated.is_empty() {
            eprintln!("{GENERATED_NOTE}");
            for line in &generated {
                eprintln!("{line}");
            }
        }
        let (installations, persons) = sandbox.counts();
        let state = match &args.state {
            Some(p) => format!(
                "state {} ({installations} installations, {persons} persons)",
                p.display()
            ),
            None => "memory only".to_string(),
        };
        eprintln!(
            "mmjwt: sandbox: listening on {url}; mode {}; app code {}; keys: {}; {state}",
            args.mode.as_str(),
            serde_json::Value::String(app_code.clone()),
            kid_list.join(", ")
        );
        if !args.no_ui {
            eprintln!("mmjwt: sandbox: token debugger page at {url}/ (--no-ui turns it off)");
        }
        // The URL goes out last, so that no request made with it can be logged before the
        // start-up lines. A closed stdout must not stop the server; the URL is also on stderr.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{url}").and_then(|()| out.flush());
        drop(out);
        let which = signals.wait().await;
        eprintln!("mmjwt: sandbox: {which}: finishing requests in flight and stopping");
        sandbox
            .shutdown()
            .await
            .map_err(|e| runtime(ErrorKind::State, format!("{e:#}")))?;
        Ok(0)
    })
}

/// `--key KID=HEX` / `--key KID=@FILE`. Errors name the flag's position and the kid, never the
/// value.
fn parse_key_flags(raw: &[SecretText], shell: &Shell) -> anyhow::Result<Vec<(String, Secret)>> {
    let mut keys: Vec<(String, Secret)> = Vec::new();
    let mut inline = false;
    for (i, k) in raw.iter().enumerate() {
        let n = i + 1;
        let Some((kid, value)) = k.expose().split_once('=') else {
            return Err(usage(format!(
                "--key #{n} must be KID=HEXSECRET or KID=@FILE"
            )));
        };
        if kid.is_empty() {
            return Err(usage(format!("--key #{n}: the key id before '=' is empty")));
        }
        let shown = serde_json::Value::String(kid.to_owned());
        let (text, origin) = if let Some(path) = value.strip_prefix('@') {
            let text = std::fs::read_to_string(path).map_err(|e| {
                runtime(
                    ErrorKind::Secret,
                    format!("cannot read the secret file of key {shown}: {path}: {e}"),
                )
            })?;
            (text, format!("file {path}"))
        } else {
            inline = true;
            (value.to_owned(), format!("--key #{n}"))
        };
        let text = zeroize::Zeroizing::new(text);
        let secret = Secret::from_hex(&text).map_err(|e| {
            runtime(
                ErrorKind::Secret,
                format!("malformed secret for key {shown} ({origin}): {e}"),
            )
        })?;
        if secret.is_weak() {
            shell.warn(&format!(
                "key {shown} is {} byte{}; HS256 wants at least 32 (RFC 7518 §3.2)",
                secret.len(),
                if secret.len() == 1 { "" } else { "s" }
            ));
        }
        if keys.iter().any(|(k, _)| k == kid) {
            return Err(usage(format!("key id {shown} is given twice")));
        }
        keys.push((kid.to_owned(), secret));
    }
    if inline {
        shell.warn("--key KID=HEX puts the secret in argv, which other users and process lists can read; prefer KID=@FILE or MMJWT_KEY_ID with MMJWT_SECRET");
    }
    Ok(keys)
}

/// The one key from `--key-id`/`MMJWT_KEY_ID` with `--secret-file`/`--secret-stdin`/
/// `--secret`/`MMJWT_SECRET`.
fn add_single_key(
    args: &SandboxArgs,
    shell: &Shell,
    keys: &mut Vec<(String, Secret)>,
) -> anyhow::Result<()> {
    let secret_flag = args.secret.secret_file.is_some()
        || args.secret.secret_stdin
        || args.secret.secret.is_some();
    let secret = load_secret(&args.secret, shell)?;
    match (&args.cred.key_id, secret) {
        (Some(kid), Some(secret)) => {
            if kid.is_empty() {
                return Err(usage("the key id is empty"));
            }
            if keys.iter().any(|(k, _)| k == kid) {
                return Err(usage(format!(
                    "key id {} is given twice",
                    serde_json::Value::String(kid.clone())
                )));
            }
            keys.push((kid.clone(), secret));
        }
        (Some(_), None) if keys.is_empty() => {
            return Err(usage(
                "a key id without a secret: set MMJWT_SECRET, or pass --secret-file or --secret-stdin",
            ));
        }
        (Some(_), None) => {
            shell.warn(
                "MMJWT_KEY_ID/--key-id has no secret and is ignored; the --key keys are used",
            );
        }
        (None, Some(_)) if secret_flag => {
            return Err(usage(
                "a secret without a key id: pass --key-id or set MMJWT_KEY_ID (or use --key KID=@FILE)",
            ));
        }
        (None, Some(_)) => {
            shell.warn("MMJWT_SECRET is set without MMJWT_KEY_ID and is ignored");
        }
        (None, None) => {}
    }
    Ok(())
}

fn random_hex(bytes: usize) -> anyhow::Result<String> {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b)
        .map_err(|e| runtime(ErrorKind::Random, format!("no randomness from the OS: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// SIGINT and SIGTERM, registered up front (a signal that arrives before `wait` is kept).
pub(super) struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Signals {
    pub(super) fn install() -> anyhow::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let term = signal(SignalKind::terminate())
                .map_err(|e| runtime(ErrorKind::Signal, format!("cannot watch SIGTERM: {e}")))?;
            let int = signal(SignalKind::interrupt())
                .map_err(|e| runtime(ErrorKind::Signal, format!("cannot watch SIGINT: {e}")))?;
            Ok(Signals { term, int })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    pub(super) async fn wait(mut self) -> &'static str {
        #[cfg(unix)]
        {
            std::future::poll_fn(|cx| {
                if self.int.poll_recv(cx).is_ready() {
                    std::task::Poll::Ready("SIGINT")
                } else if self.term.poll_recv(cx).is_ready() {
                    std::task::Poll::Ready("SIGTERM")
                } else {
                    std::task::Poll::Pending
                }
            })
            .await
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "interrupt"
        }
    }
}
