//! `mmjwt issuer`: `list` the verified stacks (a table, or JSON per docs/schema/issuer-list.json),
//! `code STACK` (the main file on stdout, or every file into `--out DIR`, never overwriting
//! without `--force`), and `serve` (the local token endpoint of [`crate::issuer::serve`], its
//! token URL first on stdout, one log line per request on stderr, a graceful stop on Ctrl-C or
//! SIGTERM).

use super::load_secret;
use super::sandbox::Signals;
use crate::cli::issuer::{CodeArgs, IssuerArgs, IssuerCommand, ServeArgs};
use crate::error::{ErrorKind, runtime, usage};
use crate::issuer::serve::{self, Issuer, Server};
use crate::issuer::{STACKS, Stack, StackFile};
use crate::shell::Shell;
use crate::token::mint::Minter;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) fn run(args: &IssuerArgs, shell: &Shell) -> anyhow::Result<u8> {
    match &args.command {
        IssuerCommand::List => list(shell),
        IssuerCommand::Code(a) => code(a, shell),
        IssuerCommand::Serve(a) => run_serve(a, shell),
    }
}

fn list(shell: &Shell) -> anyhow::Result<u8> {
    let text = if shell.json {
        let v = serde_json::json!({ "stacks": STACKS });
        let mut s = shell.json_text(&v);
        s.push('\n');
        s
    } else {
        let mut s = String::new();
        for st in STACKS {
            let _ = writeln!(
                s,
                "{:<19} {:<22} {} {}",
                st.stack, st.language, st.library, st.version
            );
            if let Some(note) = st.note {
                let _ = writeln!(s, "{:<19} note:    {note}", "");
            }
            if let Some(install) = st.install {
                let _ = writeln!(s, "{:<19} install: {install}", "");
            }
            let _ = writeln!(s, "{:<19} run:     {}", "", st.run);
        }
        s.push_str("Configuration: INFOBIP_APP_CODE, INFOBIP_JWT_KEY_ID, INFOBIP_JWT_SECRET (hex). `mmjwt issuer code STACK --out DIR` writes the files.\n");
        s
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(0)
}

fn stack(id: &str) -> anyhow::Result<&'static Stack> {
    crate::issuer::find(id).ok_or_else(|| {
        usage(format!(
            "unknown stack {}; the stacks are {}",
            serde_json::Value::String(id.to_string()),
            crate::issuer::ids()
        ))
    })
}

fn code(args: &CodeArgs, shell: &Shell) -> anyhow::Result<u8> {
    let st = stack(&args.stack)?;
    let Some(dir) = &args.out else {
        let text = if shell.json {
            let files: Vec<_> = st
                .files
                .iter()
                .map(|f| serde_json::json!({"path": f.path, "contents": f.contents}))
                .collect();
            let mut s = shell.json_text(
                &serde_json::json!({"stack": st.stack, "main": st.main, "files": files}),
            );
            s.push('\n');
            s
        } else {
            st.main_contents().to_string()
        };
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
        return Ok(0);
    };
    write_files(dir, st.files, args.force)?;
    if shell.json {
        let paths: Vec<String> = st
            .files
            .iter()
            .map(|f| dir.join(f.path).display().to_string())
            .collect();
        let mut s = shell.json_text(&serde_json::json!({"stack": st.stack, "written": paths}));
        s.push('\n');
        std::io::stdout().lock().write_all(s.as_bytes())?;
    }
    let next = match st.install {
        Some(i) => format!("{i}, then {}", st.run),
        None => st.run.to_string(),
    };
    shell.note(&format!(
        "wrote {} file(s) of {} to {}; in that directory: {next}",
        st.files.len(),
        st.stack,
        dir.display()
    ));
    Ok(0)
}

/// Writes every file under `dir`. Without `force`, any existing file stops the whole write
/// before anything is written; each file goes to a temporary name first and is renamed into
/// place, so no file is ever left half-written.
fn write_files(dir: &Path, files: &[StackFile], force: bool) -> anyhow::Result<()> {
    let targets: Vec<PathBuf> = files.iter().map(|f| dir.join(f.path)).collect();
    if !force && let Some(existing) = targets.iter().find(|p| p.exists()) {
        return Err(usage(format!(
            "{} exists; nothing was written (pass --force to overwrite)",
            existing.display()
        )));
    }
    let io = |p: &Path, e: std::io::Error| {
        runtime(ErrorKind::Io, format!("cannot write {}: {e}", p.display()))
    };
    for (f, target) in files.iter().zip(&targets) {
        let parent = target.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = parent.join(format!(".{name}.mmjwt-partial"));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .and_then(|mut file| {
                file.write_all(f.contents.as_bytes())?;
                file.sync_all()
            })
            .and_then(|()| std::fs::rename(&temp, target));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(io(target, e));
        }
    }
    Ok(())
}

fn run_serve(args: &ServeArgs, shell: &Shell) -> anyhow::Result<u8> {
    let loopback = serve::is_loopback(args.listen);
    if !loopback && !args.allow_remote {
        return Err(usage(format!(
            "--listen {} is reachable from other machines, and anyone who reaches it gets a token for any user; pass --allow-remote to mean it",
            args.listen
        )));
    }
    if args.ttl <= 0 {
        return Err(usage("--ttl must be positive"));
    }
    let app_code = args
        .cred
        .app_code
        .clone()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            usage("missing the application code: pass --app-code or set MMJWT_APP_CODE")
        })?;
    let key_id = args
        .cred
        .key_id
        .clone()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| usage("missing the key id: pass --key-id or set MMJWT_KEY_ID"))?;
    let secret = load_secret(&args.secret, shell)?.ok_or_else(|| {
        usage("no secret: set MMJWT_SECRET, or pass --secret-file PATH, --secret-stdin or --secret HEX")
    })?;
    let issuer = Issuer {
        app_code,
        minter: Minter::new(&key_id, secret.hmac_key()),
        ttl: args.ttl,
    };
    drop(secret);
    if !loopback {
        shell.warn(&format!(
            "listening on {}: anyone who can reach this address can get a token for any user of the app",
            args.listen
        ));
    }
    let rt = crate::shell::async_runtime(Some(2))?;
    rt.block_on(async {
        let signals = Signals::install()?;
        let log: serve::Log = Arc::new(|line: &str| eprintln!("mmjwt: issuer serve: {line}"));
        let server = Server::start(issuer, args.listen, log).await.map_err(|e| {
            runtime(
                ErrorKind::Sandbox,
                format!("cannot listen on {}: {e}", args.listen),
            )
        })?;
        let url = server.url();
        let mut out = std::io::stdout().lock();
        // A closed stdout must not stop the server; the URL is on stderr too.
        let _ = writeln!(out, "{url}").and_then(|()| out.flush());
        drop(out);
        eprintln!(
            "mmjwt: issuer serve: listening on {} (GET {url}ID); Ctrl-C stops it",
            server.addr()
        );
        let which = signals.wait().await;
        eprintln!("mmjwt: issuer serve: {which}: stopping");
        server.shutdown().await;
        Ok(0)
    })
}
