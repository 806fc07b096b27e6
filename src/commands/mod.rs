//! One module per subcommand (`run(args, ctx) -> Result<exit code>`), plus what they share:
//! where secrets come from, the clock, stdin, stdout and diagnostics on stderr.

pub mod batch;
pub mod check;
pub mod completions;
pub mod generate;
pub mod keygen;
pub mod replay;
pub mod sandbox;
pub mod ui;

use crate::cli::SecretArgs;
use crate::color::{ColorChoice, Painter, Stream};
use crate::error::{runtime, usage};
use crate::secret::Secret;
use std::io::{IsTerminal, Read};
use std::path::Path;

/// What every command gets besides its own arguments.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub json: bool,
    pub color: ColorChoice,
    /// Colour decision for stdout.
    pub out: Painter,
    /// Colour decision for stderr.
    pub err: Painter,
    /// Whether stdout is a terminal (pretty JSON there, one line per object otherwise).
    pub stdout_tty: bool,
}

impl Ctx {
    pub fn new(json: bool, color: ColorChoice) -> Ctx {
        Ctx {
            json,
            color,
            out: Painter::for_stream(color, Stream::Stdout),
            err: Painter::for_stream(color, Stream::Stderr),
            stdout_tty: std::io::stdout().is_terminal(),
        }
    }

    /// `mmjwt: warning: ...` on stderr.
    pub fn warn(&self, message: &str) {
        eprintln!("mmjwt: {} {message}", self.err.warn("warning:"));
    }

    /// `mmjwt: note: ...` on stderr (human mode only; JSON consumers get it in the data).
    pub fn note(&self, message: &str) {
        eprintln!("mmjwt: {} {message}", self.err.dim("note:"));
    }

    /// Serialises a JSON value: pretty on a terminal, one line otherwise.
    pub fn json_text(&self, v: &impl serde::Serialize) -> String {
        let text = if self.stdout_tty {
            serde_json::to_string_pretty(v)
        } else {
            serde_json::to_string(v)
        };
        // Serialising plain data structures cannot fail; an empty object beats a panic.
        text.unwrap_or_else(|_| "{}".to_string())
    }
}

/// Resolves the hex secret: `--secret-file`, `--secret-stdin`, `--secret` (with a warning), then
/// `MMJWT_SECRET`. `Ok(None)` when none is given.
pub fn load_secret(args: &SecretArgs, ctx: &Ctx) -> anyhow::Result<Option<Secret>> {
    let (text, origin) = if let Some(path) = &args.secret_file {
        if path.as_os_str() == "-" {
            (read_stdin_secret()?, "standard input".to_string())
        } else {
            warn_if_shared(path, ctx);
            let text = std::fs::read_to_string(path).map_err(|e| {
                runtime(
                    "secret",
                    format!(
                        "cannot read secret file {}: {}",
                        path.display(),
                        io_reason(&e)
                    ),
                )
            })?;
            (text, format!("secret file {}", path.display()))
        }
    } else if args.secret_stdin {
        (read_stdin_secret()?, "standard input".to_string())
    } else if let Some(s) = &args.secret {
        ctx.warn("--secret puts the secret in argv, which other users and process lists can read; prefer MMJWT_SECRET or --secret-file");
        (s.0.clone(), "--secret".to_string())
    } else if let Some(v) = std::env::var_os("MMJWT_SECRET") {
        let v = v
            .into_string()
            .map_err(|_| runtime("secret", "MMJWT_SECRET is not valid UTF-8"))?;
        (v, "MMJWT_SECRET".to_string())
    } else {
        return Ok(None);
    };
    let secret = Secret::from_hex(&text)
        .map_err(|e| runtime("secret", format!("malformed secret from {origin}: {e}")))?;
    // Debug builds only (the integration tests): a way to make the binary fail while it holds
    // a secret, so a test can show the panic report does not carry it.
    #[cfg(debug_assertions)]
    assert!(
        std::env::var_os("MMJWT_DEBUG_PANIC_WITH_SECRET").is_none(),
        "forced panic while holding a secret of {} bytes",
        secret.len()
    );
    if secret.is_weak() {
        ctx.warn(&format!(
            "the secret is {} bytes; HS256 wants at least 32 (RFC 7518 §3.2)",
            secret.len()
        ));
    }
    Ok(Some(secret))
}

fn read_stdin_secret() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| {
        runtime(
            "secret",
            format!(
                "cannot read the secret from standard input: {}",
                io_reason(&e)
            ),
        )
    })?;
    Ok(s)
}

/// Secret files readable by group or others get a warning, as ssh does for private keys.
fn warn_if_shared(path: &Path, ctx: &Ctx) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            ctx.warn(&format!(
                "secret file {} is readable by group or others (mode {:o}); chmod 600 it",
                path.display(),
                meta.permissions().mode() & 0o777
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, ctx);
}

/// An I/O error's reason without the OS error number noise.
pub fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// `--now` or the system clock.
pub fn resolve_now(now: Option<&str>) -> anyhow::Result<i64> {
    match now {
        Some(t) => crate::time::parse_instant(t).map_err(|e| usage(format!("--now: {e}"))),
        None => Ok(crate::time::now_unix()),
    }
}

/// Creates or truncates `path` with mode 0600, for files that hold tokens.
pub fn open_private(path: &Path) -> anyhow::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let fail = |e: std::io::Error| {
        runtime(
            "io",
            format!("cannot write {}: {}", path.display(), io_reason(&e)),
        )
    };
    let f = opts.open(path).map_err(fail)?;
    #[cfg(unix)]
    {
        // An existing file keeps its old mode on open; tighten it explicitly.
        use std::os::unix::fs::PermissionsExt as _;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(fail)?;
    }
    Ok(f)
}
