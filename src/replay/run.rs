//! What `mmjwt replay` does with a resolved [`Job`]: decide where to send ([`target`]),
//! complete the credentials, make the [`Plan`], then for each call build its exchange, run the
//! SDK's preflight, and print, send or batch, and report. Each call passes through one shape
//! per stage: job, plan, exchange. The command module only parses and resolves arguments.

use super::Call;
use super::body::{self, Personalize};
use super::client::{Client, Outcome};
use super::embedded::{self, Embedded};
use super::job::{CallSpec, Creds, Job, Mode, Output, TokenSource, Users};
use super::plan::Plan;
use super::redact::{self, Show};
use super::render::{self, Exchange, Preflight};
use super::summary::Summary;
use crate::error::usage;
use crate::shell::Shell;
use crate::token::mint::Minter;
use serde_json::Value;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Where requests go, and the embedded sandbox to stop afterwards.
#[derive(Debug)]
pub(crate) struct Target {
    pub base_url: String,
    pub embedded: Option<Embedded>,
}

/// The one decision of where to send: the given base URL, or an embedded sandbox started
/// with the configured credentials (missing ones made up, which fills them in `creds`).
pub(crate) async fn target(
    base_url: Option<&str>,
    creds: Creds,
    shell: &Shell,
) -> anyhow::Result<(Target, Creds)> {
    if let Some(url) = base_url {
        let target = Target {
            base_url: url.to_string(),
            embedded: None,
        };
        return Ok((target, creds));
    }
    let complete = embedded::complete(creds.app_code, creds.key_id, creds.secret)?;
    let sandbox = Embedded::start(&complete).await?;
    let made_up = if complete.ephemeral.is_empty() {
        "the configured credentials".to_string()
    } else {
        format!("ephemeral {}", complete.ephemeral.join(", "))
    };
    shell.note(&format!(
        "no --base-url: replaying against an embedded sandbox at {} (jwt-only mode, {made_up})",
        sandbox.url()
    ));
    let target = Target {
        base_url: sandbox.url().trim_end_matches('/').to_string(),
        embedded: Some(sandbox),
    };
    let creds = Creds {
        app_code: Some(complete.app_code),
        key_id: Some(complete.key_id),
        secret: Some(complete.secret),
    };
    Ok((target, creds))
}

/// Runs the job; returns the exit code.
pub(crate) fn execute(job: Job, shell: &Shell) -> anyhow::Result<u8> {
    let Job {
        mut spec,
        mut creds,
        base_url,
        users,
        output,
    } = job;
    for note in &spec.notes {
        shell.note(note);
    }
    if base_url.is_some() && spec.push_reg_id.is_none() {
        return Err(usage(
            "--push-reg-id ID is required with --base-url (the installation's push registration id; or set MMJWT_PUSH_REG_ID)",
        ));
    }
    if base_url.is_none() && output.mode != Mode::Send {
        return Err(usage(
            "--dry-run and --curl need --base-url: the embedded sandbox only exists while a request is sent",
        ));
    }
    if let Users::One(user) = &users {
        if matches!(spec.token, TokenSource::Mint { .. }) && user.is_none() {
            return Err(usage(
                "no token: pass --user-id ID to generate one (or --token TOKEN, --app-auth, --users FILE)",
            ));
        }
        if spec.call == Call::Personalize {
            // A given token's sub stands in for --user-id, as the app would personalize as
            // the person its backend issued the token for.
            let sub = match &spec.token {
                TokenSource::Given(t) if user.is_none() => claim_from_token(t.expose(), "sub"),
                _ => None,
            };
            let who = user.as_deref().or(sub.as_deref());
            let p = single_personalize(&spec.personalize, who, &spec.token, shell);
            body::require_identity(&p).map_err(usage)?;
            spec.personalize = p;
        }
    }
    if creds.app_code.is_none()
        && let TokenSource::Given(t) = &spec.token
        && let Some(code) = claim_from_token(t.expose(), "infobip-api-key")
    {
        shell.note(
            "no --app-code: the applicationcode header uses the token's infobip-api-key claim",
        );
        creds.app_code = Some(code);
    }
    let rt = crate::shell::async_runtime(Some(2))?;
    rt.block_on(async move {
        let (target, creds) = target(base_url.as_deref(), creds, shell).await?;
        let result = match plan(spec, &target, creds) {
            Ok(plan) => {
                let plan = Arc::new(plan);
                match users {
                    Users::One(user) => single(&output, &plan, user.as_deref(), shell).await,
                    Users::Many { users, skipped } => {
                        many(&output, &plan, users, skipped, shell).await
                    }
                }
            }
            Err(e) => Err(e),
        };
        if let Some(e) = target.embedded {
            e.stop().await?;
        }
        result
    })
}

/// The single-call personalize body: `--data`, with `externalUserId` filled from `--user-id`
/// when `--data` has none. A different one in `--data` is kept (to see the server refuse it).
fn single_personalize(
    template: &Personalize,
    user: Option<&str>,
    token: &TokenSource,
    shell: &Shell,
) -> Personalize {
    match (template.external_user_id(), user) {
        (None, Some(u)) => template.for_user(u),
        (Some(given), Some(u)) if given != u && matches!(token, TokenSource::Mint { .. }) => {
            shell.note("userIdentity.externalUserId in --data differs from --user-id (the token's sub); sent as given");
            template.clone()
        }
        _ => template.clone(),
    }
}

/// A string claim of a token, if the payload can be read.
fn claim_from_token(token: &str, name: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let (bytes, _) = crate::b64::decode_lenient(payload)?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    v.get(name)?.as_str().map(str::to_string)
}

/// The job's calls made concrete: the target's base URL, the application code, and the
/// signing key when tokens are minted.
fn plan(spec: CallSpec, target: &Target, creds: Creds) -> anyhow::Result<Plan> {
    let app_code = creds.app_code.ok_or_else(|| {
        usage("missing the application code: pass --app-code or set MMJWT_APP_CODE")
    })?;
    let minter = if matches!(spec.token, TokenSource::Mint { .. }) {
        let kid = creds.key_id.ok_or_else(|| {
            usage("missing the key id to sign tokens: pass --key-id or set MMJWT_KEY_ID")
        })?;
        let secret = creds.secret.ok_or_else(|| {
            usage("no secret to sign tokens: set MMJWT_SECRET, or pass --secret-file PATH or --secret-stdin")
        })?;
        Some(Minter::new(&kid, secret.hmac_key()))
    } else {
        None
    };
    Ok(Plan {
        spec,
        base_url: target.base_url.clone(),
        app_code,
        minter,
    })
}

/// Writes to stdout; a closed pipe surfaces as an error the caller treats as success.
fn out(text: &str) -> anyhow::Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(text.as_bytes())?;
    o.flush()?;
    Ok(())
}

async fn single(
    output: &Output,
    plan: &Plan,
    user: Option<&str>,
    shell: &Shell,
) -> anyhow::Result<u8> {
    let mut w = plan.worker();
    let mut ex = plan.prepare(&mut w, user, None)?;
    if output.verbose {
        let said = match &ex.preflight {
            Preflight::NotApplicable => "not applicable (App authorization)".to_string(),
            Preflight::Skipped => "skipped (--no-preflight)".to_string(),
            Preflight::Passed => {
                format!("the {} SDK accepts the token", plan.spec.platform.display())
            }
            Preflight::Refused(_) => {
                format!("the {} SDK refuses the token", plan.spec.platform.display())
            }
            Preflight::UserDataRefused(_) => {
                format!(
                    "the {} SDK refuses the user data (before the token)",
                    plan.spec.platform.display()
                )
            }
        };
        eprintln!("* preflight: {said}");
    }
    if ex.preflight.refused() {
        let objects = render::plugin_objects(&ex, &output.plugins);
        if shell.json {
            let mut v = render::json(&ex, output.show);
            if !output.plugins.is_empty() {
                v["plugins"] = render::plugins_json(&objects);
            }
            out(&format!("{}\n", shell.json_text(&v)))?;
        }
        let why = match &ex.preflight {
            Preflight::Refused(v) => format!("{}\n", render::refusal_text(v, plan.spec.platform)),
            Preflight::UserDataRefused(r) => render::user_data_refusal_text(r),
            _ => String::new(),
        };
        eprint!(
            "mmjwt: {} {why}{}",
            shell.err.bad("refused:"),
            render::plugins_text(&objects, plan.spec.platform)
        );
        return Ok(ex.exit_code());
    }
    match output.mode {
        Mode::DryRun => {
            if shell.json {
                out(&format!(
                    "{}\n",
                    shell.json_text(&render::json(&ex, output.show))
                ))?;
            } else {
                out(&render::request_text(&ex, output.show, ""))?;
            }
            Ok(ex.exit_code())
        }
        Mode::Curl => {
            let cmd =
                super::curl::command(&ex.request, &ex.url, &ex.auth, output.show, output.timeout);
            if shell.json {
                out(&format!(
                    "{}\n",
                    shell.json_text(&serde_json::json!({"curl": cmd.trim_end()}))
                ))?;
            } else {
                out(&cmd)?;
            }
            if output.show == Show::Redacted {
                shell.note(
                    "the Authorization value is redacted; --show-secrets puts it in the command",
                );
            }
            Ok(ex.exit_code())
        }
        Mode::Send => {
            let client = Client::new(output.timeout);
            if output.verbose {
                eprint!("{}", render::request_text(&ex, output.show, "> "));
            }
            let outcome = client.send(&ex.url, &ex.request).await;
            if output.verbose
                && let Outcome::Response(r) = &outcome
            {
                eprint!("{}", render::response_head_text(r, "< "));
                eprintln!("* {} ms", r.elapsed.as_millis());
            }
            ex.outcome = Some(outcome);
            report_single(&ex, output, shell)?;
            Ok(ex.exit_code())
        }
    }
}

fn report_single(ex: &Exchange, output: &Output, shell: &Shell) -> anyhow::Result<()> {
    if shell.json {
        out(&format!(
            "{}\n",
            shell.json_text(&render::json(ex, output.show))
        ))?;
    }
    match &ex.outcome {
        Some(Outcome::Response(r)) => {
            if !shell.json {
                out(&render::response_text(r, shell.out, shell.stdout_tty))?;
            }
            if let Some(why) = &r.body_problem {
                shell.warn(&redact::scrub(why, &ex.auth));
            } else if !r.body.is_empty() && serde_json::from_slice::<Value>(&r.body).is_err() {
                shell.note(&format!(
                    "the response body ({} bytes, content-type {}) is not JSON",
                    r.body.len(),
                    r.header("content-type").unwrap_or("not given")
                ));
            }
        }
        Some(Outcome::Failed(f)) => {
            eprintln!(
                "mmjwt: {} {}",
                shell.err.bad("error:"),
                redact::scrub(&f.message, &ex.auth)
            );
        }
        None => {}
    }
    Ok(())
}

/// `--users`: every user at bounded concurrency; lines in completion order, then a summary.
async fn many(
    output: &Output,
    plan: &Arc<Plan>,
    users: Vec<(usize, String)>,
    skipped: usize,
    shell: &Shell,
) -> anyhow::Result<u8> {
    let started = Instant::now();
    let total = users.len();
    let users = Arc::new(users);
    let client = Client::new(output.timeout).keep_idle(output.concurrency);
    let next = Arc::new(AtomicUsize::new(0));
    let (tx, mut rx) =
        tokio::sync::mpsc::channel::<anyhow::Result<Exchange>>(output.concurrency * 2);
    let mode = output.mode;
    for _ in 0..output.concurrency.min(total) {
        let (users, next, tx, plan, client) = (
            Arc::clone(&users),
            Arc::clone(&next),
            tx.clone(),
            Arc::clone(plan),
            client.clone(),
        );
        tokio::spawn(async move {
            let mut w = plan.worker();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((line, user)) = users.get(i) else {
                    break;
                };
                let mut result = plan.prepare(&mut w, Some(user), Some((*line, user.clone())));
                if let Ok(ex) = &mut result
                    && mode == Mode::Send
                    && !ex.preflight.refused()
                {
                    ex.outcome = Some(client.send(&ex.url, &ex.request).await);
                }
                if tx.send(result).await.is_err() {
                    break;
                }
            }
        });
    }
    drop(tx);

    let bar = shell.progress(total as u64, "calls");
    let mut summary = Summary::default();
    for _ in 0..skipped {
        summary.skip_line();
    }
    while let Some(result) = rx.recv().await {
        let ex = result?;
        summary.add(&ex);
        let text = match (mode, shell.json) {
            (Mode::Curl, false) => {
                super::curl::command(&ex.request, &ex.url, &ex.auth, output.show, output.timeout)
            }
            (Mode::Curl, true) => {
                let cmd = super::curl::command(
                    &ex.request,
                    &ex.url,
                    &ex.auth,
                    output.show,
                    output.timeout,
                );
                format!(
                    "{}\n",
                    serde_json::json!({"line": ex.line.as_ref().map(|l| l.0), "curl": cmd.trim_end()})
                )
            }
            (Mode::DryRun, false) => format!("{}\n", render::request_text(&ex, output.show, "")),
            (_, true) => format!("{}\n", render::json(&ex, output.show)),
            (Mode::Send, false) => render::batch_line(&ex, shell.out),
        };
        if output.verbose && mode == Mode::Send {
            // Whole exchanges, so that concurrent calls do not interleave on stderr.
            let mut heads = render::request_text(&ex, output.show, "> ");
            if let Some(Outcome::Response(r)) = &ex.outcome {
                heads.push_str(&render::response_head_text(r, "< "));
            }
            bar.suspend(|| eprint!("{heads}"));
        }
        bar.suspend(|| out(&text))?;
        bar.inc();
    }
    bar.finish();
    if mode == Mode::Send {
        let wall = started.elapsed();
        let text = if shell.json {
            format!("{}\n", summary.json(wall, output.concurrency))
        } else {
            summary.text(wall, output.concurrency, shell.out)
        };
        out(&text)?;
    }
    Ok(summary.exit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_read_from_the_token() {
        let t = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InRlc3Qta2V5LWlkIn0.eyJ0eXAiOiJCZWFyZXIiLCJzdWIiOiJleHQtdXNlci0xIiwiaW5mb2JpcC1hcGkta2V5IjoidGVzdC1hcHAtY29kZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwMDYwLCJqdGkiOiIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEifQ.rNxY48Mvd45hFT0AmFaj05zqgmXmhLv2qO0huEKZ4lM";
        assert_eq!(
            claim_from_token(t, "infobip-api-key").as_deref(),
            Some("test-app-code")
        );
        assert_eq!(claim_from_token(t, "sub").as_deref(), Some("ext-user-1"));
        assert_eq!(claim_from_token("x", "sub"), None);
    }
}
