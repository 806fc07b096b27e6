//! What `mmjwt replay` does once its arguments are resolved into a [`Job`]: decide where to
//! send ([`target`]), make the credential, build the request, run the SDK's preflight, then
//! print, send or batch, and report. The command module only parses and resolves arguments.

use super::body::{self, Personalize};
use super::client::{Client, Outcome};
use super::embedded::{self, Embedded};
use super::redact::{self, Show};
use super::render::{self, Exchange, Preflight};
use super::request::{self, Auth, Payload, PersonalizeFlags, Spec};
use super::summary::Summary;
use super::{Call, Platform};
use crate::error::{ErrorKind, runtime, usage};
use crate::secret::Secret;
use crate::shell::Shell;
use crate::token::mint::{Claims, JtiSource, Minter};
use serde_json::{Map, Value};
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Where the Authorization comes from.
#[derive(Debug, Clone)]
pub enum TokenSource {
    /// `--token`: sent as given.
    Given(crate::secret::SecretText),
    /// Minted per call from the user id, like `mmjwt gen`, with this lifetime in seconds.
    Mint { ttl: i64 },
    /// `--app-auth`: `App <appCode>`.
    App,
}

/// Who the calls are for.
#[derive(Debug, Clone)]
pub enum Users {
    /// One call; `--user-id` if given.
    One(Option<String>),
    /// `--users`: one call per line (line number, user id); `skipped` unusable lines.
    Many {
        users: Vec<(usize, String)>,
        skipped: usize,
    },
}

/// What to do with the built request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Send,
    /// Print the request, send nothing.
    DryRun,
    /// Print a curl command, send nothing.
    Curl,
}

/// A fully resolved `replay` invocation.
#[derive(Debug)]
pub struct Job {
    pub call: Call,
    pub platform: Platform,
    /// Checked, without a trailing `/`; `None` means the embedded sandbox.
    pub base_url: Option<String>,
    pub push_reg_id: Option<String>,
    pub installation_id: String,
    pub token: TokenSource,
    pub app_code: Option<String>,
    pub key_id: Option<String>,
    pub secret: Option<Secret>,
    pub users: Users,
    pub patch: Option<Map<String, Value>>,
    /// The personalize body from `--data` (empty when not given).
    pub personalize: Personalize,
    pub flags: PersonalizeFlags,
    pub foreground: bool,
    pub session_id: Option<String>,
    pub user_agent: String,
    pub timeout: Duration,
    pub concurrency: usize,
    pub preflight: bool,
    pub mode: Mode,
    pub verbose: bool,
    pub show: Show,
    /// `--now`: the clock for minting and preflight.
    pub now: Option<i64>,
}

/// Where requests go, and the embedded sandbox to stop afterwards.
#[derive(Debug)]
pub struct Target {
    pub base_url: String,
    pub embedded: Option<Embedded>,
}

/// The one decision of where to send: the given base URL, or an embedded sandbox started
/// with the configured credentials (missing ones made up, which fills them in `creds`).
pub async fn target(
    base_url: Option<&str>,
    creds: &mut Creds,
    shell: &Shell,
) -> anyhow::Result<Target> {
    if let Some(url) = base_url {
        return Ok(Target {
            base_url: url.to_string(),
            embedded: None,
        });
    }
    let complete = embedded::complete(
        creds.app_code.take(),
        creds.key_id.take(),
        creds.secret.take(),
    )?;
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
    creds.app_code = Some(complete.app_code);
    creds.key_id = Some(complete.key_id);
    creds.secret = Some(complete.secret);
    Ok(Target {
        base_url: sandbox.url().trim_end_matches('/').to_string(),
        embedded: Some(sandbox),
    })
}

/// Credentials as configured; `target` may complete them.
#[derive(Debug, Default)]
pub struct Creds {
    pub app_code: Option<String>,
    pub key_id: Option<String>,
    pub secret: Option<Secret>,
}

/// Runs the job; returns the exit code.
pub fn execute(mut job: Job, shell: &Shell) -> anyhow::Result<u8> {
    if job.base_url.is_some() && job.push_reg_id.is_none() {
        return Err(usage(
            "--push-reg-id ID is required with --base-url (the installation's push registration id; or set MMJWT_PUSH_REG_ID)",
        ));
    }
    if job.base_url.is_none() && job.mode != Mode::Send {
        return Err(usage(
            "--dry-run and --curl need --base-url: the embedded sandbox only exists while a request is sent",
        ));
    }
    if let Users::One(user) = &job.users {
        if matches!(job.token, TokenSource::Mint { .. }) && user.is_none() {
            return Err(usage(
                "no token: pass --user-id ID to generate one (or --token TOKEN, --app-auth, --users FILE)",
            ));
        }
        if job.call == Call::Personalize {
            // A given token's sub stands in for --user-id, as the app would personalize as
            // the person its backend issued the token for.
            let sub = match &job.token {
                TokenSource::Given(t) if user.is_none() => claim_from_token(t.expose(), "sub"),
                _ => None,
            };
            let who = user.as_deref().or(sub.as_deref());
            let p = single_personalize(&job.personalize, who, &job.token, shell);
            body::require_identity(&p).map_err(usage)?;
            job.personalize = p;
        }
    }
    if job.app_code.is_none()
        && let TokenSource::Given(t) = &job.token
        && let Some(code) = claim_from_token(t.expose(), "infobip-api-key")
    {
        shell.note(
            "no --app-code: the applicationcode header uses the token's infobip-api-key claim",
        );
        job.app_code = Some(code);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            runtime(
                ErrorKind::Runtime,
                format!("cannot start the async runtime: {e}"),
            )
        })?;
    rt.block_on(async move {
        let mut creds = Creds {
            app_code: job.app_code.take(),
            key_id: job.key_id.take(),
            secret: job.secret.take(),
        };
        let target = target(job.base_url.as_deref(), &mut creds, shell).await?;
        let result = match shared(&job, &target, creds) {
            Ok(shared) => {
                let shared = Arc::new(shared);
                match &job.users {
                    Users::One(user) => single(&job, &shared, user.as_deref(), shell).await,
                    Users::Many { users, skipped } => {
                        many(&job, &shared, users.clone(), *skipped, shell).await
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

/// What every call of the job shares.
#[derive(Debug)]
struct Shared {
    call: Call,
    platform: Platform,
    base_url: String,
    app_code: String,
    token: TokenSource,
    minter: Option<Minter>,
    patch: Option<Map<String, Value>>,
    personalize: Personalize,
    flags: PersonalizeFlags,
    foreground: bool,
    session_id: Option<String>,
    user_agent: String,
    installation_id: String,
    push_reg_id: Option<String>,
    preflight: bool,
    now: Option<i64>,
}

fn shared(job: &Job, target: &Target, creds: Creds) -> anyhow::Result<Shared> {
    let app_code = creds.app_code.ok_or_else(|| {
        usage("missing the application code: pass --app-code or set MMJWT_APP_CODE")
    })?;
    let minter = if matches!(job.token, TokenSource::Mint { .. }) {
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
    Ok(Shared {
        call: job.call,
        platform: job.platform,
        base_url: target.base_url.clone(),
        app_code,
        token: job.token.clone(),
        minter,
        patch: job.patch.clone(),
        personalize: job.personalize.clone(),
        flags: job.flags,
        foreground: job.foreground,
        session_id: job.session_id.clone(),
        user_agent: job.user_agent.clone(),
        installation_id: job.installation_id.clone(),
        push_reg_id: job.push_reg_id.clone(),
        preflight: job.preflight,
        now: job.now,
    })
}

/// Per-worker state: signing reuses buffers, jtis come from a block of randomness.
#[derive(Debug)]
struct Worker {
    minter: Option<Minter>,
    jtis: JtiSource,
}

impl Shared {
    fn worker(&self) -> Worker {
        Worker {
            minter: self.minter.clone(),
            jtis: JtiSource::default(),
        }
    }

    /// Builds one call for `user` (batch: `line` is set and the body is for that user).
    fn prepare(
        &self,
        w: &mut Worker,
        user: Option<&str>,
        line: Option<(usize, String)>,
    ) -> anyhow::Result<Exchange> {
        let now = self.now.unwrap_or_else(crate::time::now_unix);
        let auth = match &self.token {
            TokenSource::Given(t) => Auth::Bearer(t.expose().to_string()),
            TokenSource::App => Auth::App(self.app_code.clone()),
            TokenSource::Mint { ttl } => {
                let sub = user.unwrap_or_default();
                let jti = w.jtis.next_uuid().map_err(|e| {
                    runtime(ErrorKind::Random, format!("no randomness from the OS: {e}"))
                })?;
                let minter = w
                    .minter
                    .as_mut()
                    .ok_or_else(|| runtime(ErrorKind::Internal, "no signing key"))?;
                let (token, _) = minter.mint(&Claims {
                    sub,
                    app_code: &self.app_code,
                    iat: now,
                    exp: now.saturating_add(*ttl),
                    jti: &jti,
                    iss: Some(&self.app_code),
                    extra: &[],
                });
                Auth::Bearer(token)
            }
        };
        let generated_reg_id;
        let push_reg_id = if let Some(r) = &self.push_reg_id {
            r.as_str()
        } else {
            // Only the embedded sandbox gets here: a fresh installation per call.
            generated_reg_id = w.jtis.next_uuid().map_err(|e| {
                runtime(ErrorKind::Random, format!("no randomness from the OS: {e}"))
            })?;
            generated_reg_id.as_str()
        };
        let personalize;
        let payload = match self.call {
            Call::FetchUser => Payload::None,
            Call::PatchUser => Payload::Patch(
                self.patch
                    .as_ref()
                    .ok_or_else(|| runtime(ErrorKind::Internal, "patch-user without a body"))?,
            ),
            Call::Personalize => {
                personalize = match (&line, user) {
                    (Some(_), Some(u)) => self.personalize.for_user(u),
                    _ => self.personalize.clone(),
                };
                Payload::Personalize(&personalize)
            }
        };
        let request = request::build(&Spec {
            call: self.call,
            platform: self.platform,
            push_reg_id,
            installation_id: Some(&self.installation_id),
            app_code: &self.app_code,
            auth: &auth,
            foreground: self.foreground,
            session_id: self.session_id.as_deref(),
            user_agent: &self.user_agent,
            payload,
            flags: self.flags,
        });
        let preflight = match &auth {
            Auth::App(_) => Preflight::NotApplicable,
            Auth::Bearer(_) if !self.preflight => Preflight::Skipped,
            Auth::Bearer(t) => {
                let verdict = match self.platform {
                    Platform::Android => crate::sdk::android::validate(t, now),
                    Platform::Ios => crate::sdk::ios::validate(t, now),
                };
                if verdict.accepted {
                    Preflight::Passed
                } else {
                    Preflight::Refused(verdict)
                }
            }
        };
        Ok(Exchange {
            call: self.call,
            platform: self.platform,
            url: request.url(&self.base_url),
            request,
            auth,
            line,
            preflight,
            outcome: None,
        })
    }
}

/// Writes to stdout; a closed pipe surfaces as an error the caller treats as success.
fn out(text: &str) -> anyhow::Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(text.as_bytes())?;
    o.flush()?;
    Ok(())
}

async fn single(
    job: &Job,
    shared: &Shared,
    user: Option<&str>,
    shell: &Shell,
) -> anyhow::Result<u8> {
    let mut w = shared.worker();
    let mut ex = shared.prepare(&mut w, user, None)?;
    if job.verbose {
        let said = match &ex.preflight {
            Preflight::NotApplicable => "not applicable (App authorization)".to_string(),
            Preflight::Skipped => "skipped (--no-preflight)".to_string(),
            Preflight::Passed => format!("the {} SDK accepts the token", job.platform.display()),
            Preflight::Refused(_) => {
                format!("the {} SDK refuses the token", job.platform.display())
            }
        };
        eprintln!("* preflight: {said}");
    }
    if let Preflight::Refused(v) = &ex.preflight {
        if shell.json {
            out(&format!(
                "{}\n",
                shell.json_text(&render::json(&ex, job.show))
            ))?;
        }
        eprintln!(
            "mmjwt: {} {}",
            shell.err.bad("refused:"),
            render::refusal_text(v, job.platform)
        );
        return Ok(ex.exit_code());
    }
    match job.mode {
        Mode::DryRun => {
            if shell.json {
                out(&format!(
                    "{}\n",
                    shell.json_text(&render::json(&ex, job.show))
                ))?;
            } else {
                out(&render::request_text(&ex, job.show, ""))?;
            }
            Ok(ex.exit_code())
        }
        Mode::Curl => {
            let cmd = super::curl::command(&ex.request, &ex.url, &ex.auth, job.show, job.timeout);
            if shell.json {
                out(&format!(
                    "{}\n",
                    shell.json_text(&serde_json::json!({"curl": cmd.trim_end()}))
                ))?;
            } else {
                out(&cmd)?;
            }
            if job.show == Show::Redacted {
                shell.note(
                    "the Authorization value is redacted; --show-secrets puts it in the command",
                );
            }
            Ok(ex.exit_code())
        }
        Mode::Send => {
            let client = Client::new(job.timeout, &shared.base_url)?;
            if job.verbose {
                eprint!("{}", render::request_text(&ex, job.show, "> "));
            }
            let outcome = client.send(&ex.url, &ex.request).await;
            if job.verbose
                && let Outcome::Response(r) = &outcome
            {
                eprint!("{}", render::response_head_text(r, "< "));
                eprintln!("* {} ms", r.elapsed.as_millis());
            }
            ex.outcome = Some(outcome);
            report_single(&ex, job, shell)?;
            Ok(ex.exit_code())
        }
    }
}

fn report_single(ex: &Exchange, job: &Job, shell: &Shell) -> anyhow::Result<()> {
    if shell.json {
        out(&format!(
            "{}\n",
            shell.json_text(&render::json(ex, job.show))
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
    job: &Job,
    shared: &Arc<Shared>,
    users: Vec<(usize, String)>,
    skipped: usize,
    shell: &Shell,
) -> anyhow::Result<u8> {
    let started = Instant::now();
    let total = users.len();
    let users = Arc::new(users);
    let client = Client::new(job.timeout, &shared.base_url)?;
    let next = Arc::new(AtomicUsize::new(0));
    let (tx, mut rx) = tokio::sync::mpsc::channel::<anyhow::Result<Exchange>>(job.concurrency * 2);
    let mode = job.mode;
    for _ in 0..job.concurrency.min(total) {
        let (users, next, tx, shared, client) = (
            Arc::clone(&users),
            Arc::clone(&next),
            tx.clone(),
            Arc::clone(shared),
            client.clone(),
        );
        tokio::spawn(async move {
            let mut w = shared.worker();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((line, user)) = users.get(i) else {
                    break;
                };
                let mut result = shared.prepare(&mut w, Some(user), Some((*line, user.clone())));
                if let Ok(ex) = &mut result
                    && mode == Mode::Send
                    && !matches!(ex.preflight, Preflight::Refused(_))
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

    let bar = progress_bar(total as u64);
    let mut summary = Summary::default();
    for _ in 0..skipped {
        summary.skip_line();
    }
    while let Some(result) = rx.recv().await {
        let ex = result?;
        summary.add(&ex);
        let text = match (mode, shell.json) {
            (Mode::Curl, false) => {
                super::curl::command(&ex.request, &ex.url, &ex.auth, job.show, job.timeout)
            }
            (Mode::Curl, true) => {
                let cmd =
                    super::curl::command(&ex.request, &ex.url, &ex.auth, job.show, job.timeout);
                format!(
                    "{}\n",
                    serde_json::json!({"line": ex.line.as_ref().map(|l| l.0), "curl": cmd.trim_end()})
                )
            }
            (Mode::DryRun, false) => format!("{}\n", render::request_text(&ex, job.show, "")),
            (_, true) => format!("{}\n", render::json(&ex, job.show)),
            (Mode::Send, false) => render::batch_line(&ex, shell.out),
        };
        if job.verbose && mode == Mode::Send {
            // Whole exchanges, so that concurrent calls do not interleave on stderr.
            let mut heads = render::request_text(&ex, job.show, "> ");
            if let Some(Outcome::Response(r)) = &ex.outcome {
                heads.push_str(&render::response_head_text(r, "< "));
            }
            bar.suspend(|| eprint!("{heads}"));
        }
        bar.suspend(|| out(&text))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    if mode == Mode::Send {
        let wall = started.elapsed();
        let text = if shell.json {
            format!("{}\n", summary.json(wall, job.concurrency))
        } else {
            summary.text(wall, job.concurrency, shell.out)
        };
        out(&text)?;
    }
    Ok(summary.exit)
}

/// A progress bar on stderr when it is a terminal; hidden otherwise.
fn progress_bar(len: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} calls  {per_sec}  eta {eta}")
    {
        bar.set_style(style);
    }
    bar
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
