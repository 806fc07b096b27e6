//! `mmjwt replay`: resolves the arguments (files, standard input, credentials, durations,
//! `--data`) into a [`Job`] and hands it to [`crate::replay::run::execute`]. Every input is
//! checked here, before anything is started or sent.

use super::load_secret;
use crate::cli::replay::{CommonReplayArgs, ReplayArgs, ReplayCall};
use crate::cli::values::{BaseUrl, PushRegId};
use crate::error::{ErrorKind, runtime, usage};
use crate::replay::Call;
use crate::replay::body;
use crate::replay::job::{CallSpec, Creds, Job, Mode, Output, TokenSource, Users};
use crate::replay::redact::Show;
use crate::replay::request::PersonalizeFlags;
use crate::replay::run;
use crate::shell::Shell;
use std::io::Read;
use std::path::Path;

/// `--data` and `--users` inputs larger than this are refused.
const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;

pub(crate) fn run(args: &ReplayArgs, shell: &Shell) -> anyhow::Result<u8> {
    let c = args.call.common();
    let (call, data) = match &args.call {
        ReplayCall::FetchUser(_) => (Call::FetchUser, None),
        ReplayCall::PatchUser(a) => (Call::PatchUser, Some(a.data.as_str())),
        ReplayCall::Personalize(a) => (Call::Personalize, a.data.as_deref()),
    };
    check_stdin_use(c, data)?;
    let platform = c.sdk;
    let base_url = c
        .base_url
        .as_ref()
        .and_then(BaseUrl::get)
        .map(str::to_string);
    let push_reg_id = c
        .push_reg_id
        .as_ref()
        .and_then(PushRegId::get)
        .map(str::to_string);
    let installation_id = match &c.installation_id {
        Some(id) => id.clone(),
        None => crate::token::mint::JtiSource::default()
            .next_uuid()
            .map_err(|e| runtime(ErrorKind::Random, format!("no randomness from the OS: {e}")))?,
    };
    let timeout = c.timeout;
    let ttl = c.ttl;
    if c.user_id.as_deref() == Some("") {
        return Err(usage("--user-id is empty"));
    }

    let data = match data {
        Some(d) => Some(body::parse_json(&read_data(d)?).map_err(usage)?),
        None => None,
    };

    let token = if let Some(t) = &c.token {
        let t = read_token(t.expose())?;
        if t.len() >= 7 && t[..7].eq_ignore_ascii_case("bearer ") {
            shell.note("--token starts with 'Bearer '; the SDK adds the scheme itself, so it is sent twice");
        }
        TokenSource::Given(crate::secret::SecretText::new(t))
    } else if c.app_auth {
        TokenSource::App
    } else {
        if let Some(kind) = c.break_kind {
            shell.note(&format!("--break {}: {}", kind.name(), kind.summary()));
        }
        TokenSource::Mint {
            ttl,
            breakage: c.break_kind,
        }
    };
    let spec =
        CallSpec::new(call, platform, token, data, installation_id, push_reg_id).map_err(usage)?;
    if c.user_id.is_some()
        && call != Call::Personalize
        && !matches!(spec.token, TokenSource::Mint { .. })
    {
        shell.note("--user-id is not used: the token is given or App authorization is sent");
    }
    let users = match &c.users {
        Some(path) => read_users(path, shell)?,
        None => Users::One(c.user_id.clone()),
    };
    let flags = match &args.call {
        ReplayCall::Personalize(a) => PersonalizeFlags {
            force_depersonalize: a.force_depersonalize,
            keep_as_lead: a.keep_as_lead,
            set_device_as_primary: a.set_device_as_primary,
        },
        _ => PersonalizeFlags::default(),
    };
    let secret = load_secret(&c.secret, shell)?;
    let job = Job {
        spec: CallSpec {
            flags,
            foreground: !c.background,
            session_id: c.session_id.clone(),
            user_agent: c.user_agent.clone().unwrap_or(spec.user_agent),
            preflight: !c.no_preflight,
            now: c.now,
            ..spec
        },
        creds: Creds {
            app_code: c.cred.app_code.clone().filter(|s| !s.is_empty()),
            key_id: c.cred.key_id.clone().filter(|s| !s.is_empty()),
            secret,
        },
        base_url,
        users,
        output: Output {
            mode: if c.dry_run {
                Mode::DryRun
            } else if c.curl {
                Mode::Curl
            } else {
                Mode::Send
            },
            verbose: c.verbose,
            show: if c.show_secrets {
                Show::Everything
            } else {
                Show::Redacted
            },
            timeout,
            concurrency: usize::from(c.concurrency),
            plugins: {
                let mut v: Vec<_> = c.plugin.iter().flat_map(|l| l.0.iter().copied()).collect();
                v.sort_unstable();
                v.dedup();
                v
            },
        },
    };
    run::execute(job, shell)
}

/// Standard input can feed one thing only.
fn check_stdin_use(c: &CommonReplayArgs, data: Option<&str>) -> anyhow::Result<()> {
    let uses = [
        (
            "--token -",
            c.token.as_ref().is_some_and(|t| t.expose() == "-"),
        ),
        ("--data -", data == Some("-")),
        (
            "--users -",
            c.users.as_ref().is_some_and(|p| p.as_os_str() == "-"),
        ),
        ("--secret-stdin / --secret-file -", c.secret.reads_stdin()),
    ];
    let on_stdin: Vec<&str> = uses.iter().filter(|u| u.1).map(|u| u.0).collect();
    if on_stdin.len() > 1 {
        return Err(usage(format!(
            "standard input can carry only one of {}",
            on_stdin.join(", ")
        )));
    }
    Ok(())
}

/// `--data`: inline JSON, `@FILE` or `-`.
fn read_data(arg: &str) -> anyhow::Result<String> {
    if arg == "-" {
        return read_stdin("--data");
    }
    if let Some(path) = arg.strip_prefix('@') {
        return read_file(Path::new(path), "--data");
    }
    Ok(arg.to_string())
}

/// `--token`: as given, or one token from standard input (surrounding whitespace removed).
/// A value a header cannot carry is refused without showing it.
fn read_token(arg: &str) -> anyhow::Result<String> {
    let t = if arg == "-" {
        read_stdin("--token")?.trim().to_string()
    } else {
        arg.to_string()
    };
    if t.is_empty() {
        return Err(usage(
            "--token is empty; use --app-auth to send App authorization",
        ));
    }
    if !t.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(usage(
            "--token has characters an HTTP header cannot carry (control characters or non-ASCII)",
        ));
    }
    Ok(t)
}

/// `--users`: one id per line; blank lines are ignored, lines that are not UTF-8 skipped with a
/// warning.
fn read_users(path: &Path, shell: &Shell) -> anyhow::Result<Users> {
    let bytes = if path.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut b)
            .map_err(|e| {
                runtime(
                    ErrorKind::Io,
                    format!("cannot read --users from standard input: {e}"),
                )
            })?;
        b
    } else {
        read_bytes(path, "--users")?
    };
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(runtime(
            ErrorKind::Io,
            format!("--users is larger than {} MiB", MAX_INPUT_BYTES >> 20),
        ));
    }
    let mut users = Vec::new();
    let mut skipped = 0;
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        match std::str::from_utf8(raw) {
            Ok(s) if s.trim().is_empty() => {}
            Ok(s) => users.push((i + 1, s.to_string())),
            Err(_) => {
                shell.warn(&format!("--users line {}: not valid UTF-8; skipped", i + 1));
                skipped += 1;
            }
        }
    }
    if users.is_empty() {
        return Err(usage("--users has no user ids (one per line)"));
    }
    Ok(Users::Many { users, skipped })
}

fn read_stdin(what: &str) -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .take(MAX_INPUT_BYTES + 1)
        .read_to_string(&mut s)
        .map_err(|e| {
            runtime(
                ErrorKind::Io,
                format!("cannot read {what} from standard input: {e}"),
            )
        })?;
    if s.len() as u64 > MAX_INPUT_BYTES {
        return Err(runtime(
            ErrorKind::Io,
            format!("{what} is larger than {} MiB", MAX_INPUT_BYTES >> 20),
        ));
    }
    Ok(s)
}

fn read_bytes(path: &Path, what: &str) -> anyhow::Result<Vec<u8>> {
    let fail = |e: std::io::Error| {
        runtime(
            ErrorKind::Io,
            format!("cannot read {what} file {}: {}", path.display(), e),
        )
    };
    let meta = std::fs::metadata(path).map_err(fail)?;
    if meta.len() > MAX_INPUT_BYTES {
        return Err(runtime(
            ErrorKind::Io,
            format!(
                "{what} file {} is larger than {} MiB",
                path.display(),
                MAX_INPUT_BYTES >> 20
            ),
        ));
    }
    std::fs::read(path).map_err(fail)
}

fn read_file(path: &Path, what: &str) -> anyhow::Result<String> {
    let bytes = read_bytes(path, what)?;
    String::from_utf8(bytes).map_err(|_| {
        runtime(
            ErrorKind::Io,
            format!("{what} file {} is not UTF-8", path.display()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked_without_echo() {
        assert_eq!(read_token("a.b.c").unwrap(), "a.b.c");
        let e = read_token("a.b\u{7}secret").unwrap_err().to_string();
        assert!(!e.contains("secret"));
        assert!(read_token("").is_err());
    }
}
