//! One module per subcommand (`run(args, shell) -> Result<exit code>`), plus what they share:
//! where secrets come from, the clock, stdin, stdout and diagnostics on stderr.

pub(crate) mod audit;
pub(crate) mod batch;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod gen_from;
pub(crate) mod generate;
pub(crate) mod issuer;
pub(crate) mod keygen;
mod man_pages;
pub(crate) mod replay;
pub(crate) mod sandbox;
pub(crate) mod ui;

use crate::cli::SecretArgs;
use crate::error::{ErrorKind, runtime};
use crate::secret::Secret;
use crate::shell::Shell;
use std::io::Read;
use std::path::Path;

/// Resolves the hex secret: `--secret-file`, `--secret-stdin`, `--secret` (with a warning), then
/// `MMJWT_SECRET`. `Ok(None)` when none is given.
pub(crate) fn load_secret(args: &SecretArgs, shell: &Shell) -> anyhow::Result<Option<Secret>> {
    let (text, origin) = if let Some(path) = &args.secret_file {
        if path.as_os_str() == "-" {
            (read_stdin_secret()?, "standard input".to_string())
        } else {
            warn_if_shared(path, shell);
            let text = std::fs::read_to_string(path).map_err(|e| {
                runtime(
                    ErrorKind::Secret,
                    format!("cannot read secret file {}: {}", path.display(), e),
                )
            })?;
            (text, format!("secret file {}", path.display()))
        }
    } else if args.secret_stdin {
        (read_stdin_secret()?, "standard input".to_string())
    } else if let Some(s) = &args.secret {
        shell.warn("--secret puts the secret in argv, which other users and process lists can read; prefer MMJWT_SECRET or --secret-file");
        (s.expose().to_string(), "--secret".to_string())
    } else if let Some(v) = std::env::var_os("MMJWT_SECRET") {
        let v = v
            .into_string()
            .map_err(|_| runtime(ErrorKind::Secret, "MMJWT_SECRET is not valid UTF-8"))?;
        (v, "MMJWT_SECRET".to_string())
    } else {
        return Ok(None);
    };
    // The text copy of the secret is wiped too, once decoded.
    let text = zeroize::Zeroizing::new(text);
    let secret = Secret::from_hex(&text).map_err(|e| {
        runtime(
            ErrorKind::Secret,
            format!("malformed secret from {origin}: {e}"),
        )
    })?;
    // Debug builds only (the integration tests): a way to make the binary fail while it holds
    // a secret, so a test can show the panic report does not carry it.
    #[cfg(debug_assertions)]
    assert!(
        std::env::var_os("MMJWT_DEBUG_PANIC_WITH_SECRET").is_none(),
        "forced panic while holding a secret of {} bytes",
        secret.len()
    );
    if secret.is_weak() {
        shell.warn(&format!(
            "the secret is {} byte{}; HS256 wants at least 32 (RFC 7518 §3.2)",
            secret.len(),
            if secret.len() == 1 { "" } else { "s" }
        ));
    }
    Ok(Some(secret))
}

fn read_stdin_secret() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| {
        runtime(
            ErrorKind::Secret,
            format!("cannot read the secret from standard input: {e}"),
        )
    })?;
    Ok(s)
}

/// Secret files readable by group or others get a warning, as ssh does for private keys.
fn warn_if_shared(path: &Path, shell: &Shell) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            shell.warn(&format!(
                "secret file {} is readable by group or others (mode {:o}); chmod 600 it",
                path.display(),
                meta.permissions().mode() & 0o777
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, shell);
}

/// `--now` or the system clock.
pub(crate) fn resolve_now(now: Option<i64>) -> i64 {
    now.unwrap_or_else(crate::time::now_unix)
}

/// Creates or truncates `path` with mode 0600, for files that hold tokens.
pub(crate) fn open_private(path: &Path) -> anyhow::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let fail = |e: std::io::Error| {
        runtime(
            ErrorKind::Io,
            format!("cannot write {}: {}", path.display(), e),
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
