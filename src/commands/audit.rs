//! `mmjwt audit`: resolves the arguments (users, secret, issuer) and runs the audit: the
//! fetches on a small Tokio runtime with a progress bar on a terminal, then the pure
//! judgement, then the report on stdout (text or JSON lines) and the JUnit file.

use super::load_secret;
use crate::audit::issuer::{Issuer, Scrub};
use crate::audit::run::{Plan, fetch_all};
use crate::audit::{self, AuditReport, Limits, judge, render, users};
use crate::cli::audit::AuditArgs;
use crate::cli::values::{self, HeaderArg};
use crate::error::{ErrorKind, runtime, usage};
use crate::replay::client::Client;
use crate::shell::Shell;
use crate::token::check::{self, Expectations, Keys};
use crate::token::pitfalls::KeyVariants;
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Instant;

/// At most this many fetches per audit.
const MAX_FETCHES: usize = 100_000;

pub(crate) fn run(args: &AuditArgs, shell: &Shell) -> anyhow::Result<u8> {
    let users_from_stdin = args.users.as_ref().is_some_and(|p| p.as_os_str() == "-");
    if users_from_stdin && args.secret.reads_stdin() {
        return Err(usage(
            "standard input cannot carry both the secret and the user ids; use MMJWT_SECRET or --secret-file PATH",
        ));
    }
    if args.min_lifetime > args.max_lifetime {
        return Err(usage("--min-lifetime is above --max-lifetime"));
    }
    let users = read_users(args)?;
    let repeat = args.repeat;
    if users.len() * repeat as usize > MAX_FETCHES {
        return Err(usage(format!(
            "{} users × --repeat {repeat} is more than {MAX_FETCHES} fetches",
            users.len()
        )));
    }
    let secret = load_secret(&args.secret, shell)?;
    if secret.is_none() && !args.require_signature {
        shell.note("no secret given: signatures are NOT verified (set MMJWT_SECRET or pass --secret-file PATH)");
    }
    // With the key, the keys a mistaken signer would have used (SECRET_USED_AS_TEXT).
    let keys = secret
        .as_ref()
        .map(|s| (s.hmac_key(), KeyVariants::from_secret(s)));
    let mut header_args = args.header.clone();
    for path in &args.header_file {
        header_args.extend(read_header_file(path)?);
    }
    let mut scrub = Scrub::default();
    if let Some(s) = &secret {
        scrub.add(&s.expose_hex());
    }
    for h in &header_args {
        scrub.add(&h.value);
    }
    drop(secret);
    let pairs: Vec<(String, String)> = header_args
        .iter()
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect();
    let headers = audit::issuer::header_map(&pairs).map_err(usage)?;
    let limits = Limits {
        max_skew: args.max_skew,
        min_lifetime: args.min_lifetime,
        max_lifetime: args.max_lifetime,
    };
    let opts = judge::Options {
        check: check::Options {
            now: 0,
            leeway: args.leeway,
            keys: keys
                .as_ref()
                .map_or(Keys::None, |(k, v)| Keys::SingleWithVariants(k, v)),
            expect: Expectations {
                sub: None,
                app_code: args.cred.app_code.as_deref(),
                kid: args.cred.key_id.as_deref(),
            },
            require_signature: args.require_signature,
            sdk: args.sdk,
        },
        limits,
        pointer: args.json_pointer.as_deref(),
    };

    let rt = crate::shell::async_runtime(Some(2))?;
    let issuer = match (&args.url, &args.exec) {
        (Some(template), _) => {
            let client = Client::new(args.timeout).keep_idle(usize::from(args.concurrency));
            Issuer::Http {
                template: template.clone(),
                headers,
                client,
            }
        }
        (None, Some(template)) => Issuer::Exec {
            template: template.clone(),
            timeout: args.timeout,
        },
        (None, None) => return Err(usage("give the issuer: --url TEMPLATE or --exec TEMPLATE")),
    };
    let describe = issuer.describe();
    let plan = Plan {
        issuer: Arc::new(issuer),
        users: Arc::new(users),
        repeat,
        concurrency: usize::from(args.concurrency),
        scrub: Arc::new(scrub),
    };
    let total = plan.users.len() * repeat as usize;
    let bar = shell.progress(total as u64, "fetches");
    let started_at = crate::time::now_unix();
    let start = Instant::now();
    let tick = {
        let bar = bar.clone();
        Arc::new(move || bar.inc())
    };
    let fetched = rt.block_on(fetch_all(&plan, tick));
    let elapsed = start.elapsed();
    bar.finish();
    drop(rt);

    let attempts = fetched
        .into_iter()
        .map(|(at, fetch)| judge::judge(&plan.users[at.user], at, fetch, &opts))
        .collect();
    let mut report = AuditReport {
        issuer: describe,
        users: plan.users.to_vec(),
        repeat,
        concurrency: plan.concurrency,
        attempts,
        rules: Vec::new(),
        limits,
        started_at,
        elapsed,
    };
    judge::apply_rules(&mut report);

    write_report(&report, args, shell)?;
    Ok(report.exit_code())
}

/// The built-in battery, or `--users FILE|-`.
fn read_users(args: &AuditArgs) -> anyhow::Result<Vec<String>> {
    let Some(path) = &args.users else {
        return Ok(users::battery());
    };
    let from_stdin = path.as_os_str() == "-";
    let bytes = if from_stdin {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| runtime(ErrorKind::Io, format!("cannot read standard input: {e}")))?;
        b
    } else {
        std::fs::read(path).map_err(|e| {
            runtime(
                ErrorKind::Io,
                format!("cannot read {}: {e}", path.display()),
            )
        })?
    };
    let name = if from_stdin {
        "standard input".to_string()
    } else {
        path.display().to_string()
    };
    users::parse(&bytes).map_err(|e| runtime(ErrorKind::Runtime, format!("--users {name}: {e}")))
}

/// `--header-file`: one `Name: value` per non-empty line. Errors name the file and the line,
/// never the content.
fn read_header_file(path: &std::path::Path) -> anyhow::Result<Vec<HeaderArg>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        runtime(
            ErrorKind::Io,
            format!("cannot read {}: {e}", path.display()),
        )
    })?;
    let mut headers = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let h = values::header(line).map_err(|e| {
            usage(format!(
                "--header-file {} line {}: {e}",
                path.display(),
                i + 1
            ))
        })?;
        headers.push(h);
    }
    Ok(headers)
}

/// The report on stdout (text, or JSON lines), then the JUnit file.
fn write_report(report: &AuditReport, args: &AuditArgs, shell: &Shell) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if shell.json {
        for a in &report.attempts {
            let v = render::attempt_json(report, a, args.leeway);
            writeln!(out, "{}", shell.json_text(&v))?;
        }
        writeln!(out, "{}", shell.json_text(&render::summary_json(report)))?;
    } else {
        out.write_all(render::text(report, shell.out).as_bytes())?;
    }
    out.flush()?;
    if let Some(path) = &args.junit {
        std::fs::write(path, audit::junit::render(report)).map_err(|e| {
            runtime(
                ErrorKind::Io,
                format!("cannot write the JUnit file {}: {e}", path.display()),
            )
        })?;
    }
    Ok(())
}
