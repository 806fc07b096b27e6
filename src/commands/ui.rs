//! `mmjwt ui`: a jwt-only sandbox on a free loopback port with the configured credentials (the
//! missing ones made up, as `replay`'s embedded sandbox does), its page's URL as the first
//! stdout line, the default browser opened when there is one, and a graceful stop on Ctrl-C.

use super::load_secret;
use super::sandbox::Signals;
use crate::cli::ui::UiArgs;
use crate::error::{ErrorKind, runtime};
use crate::replay::embedded;
use crate::sandbox::{Config, Mode, Sandbox};
use crate::shell::Shell;
use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Command, Stdio};

pub(crate) fn run(args: &UiArgs, shell: &Shell) -> anyhow::Result<u8> {
    let secret = load_secret(&args.secret, shell)?;
    let creds = embedded::complete(
        args.cred.app_code.clone().filter(|s| !s.is_empty()),
        args.cred.key_id.clone().filter(|s| !s.is_empty()),
        secret,
    )?;
    let mut config = Config::new(Mode::JwtOnly, creds.app_code.clone())
        .with_secret(creds.key_id.clone(), &creds.secret);
    config.log = args.log_format;
    config.extension = Some(crate::ui::routes);
    let rt = crate::shell::async_runtime(Some(2))?;
    rt.block_on(async {
        let signals = Signals::install()?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let sandbox = Sandbox::start(config, addr)
            .await
            .map_err(|e| runtime(ErrorKind::Sandbox, format!("{e:#}")))?;
        let url = format!("{}/", sandbox.url());
        let mut out = std::io::stdout().lock();
        // A closed stdout must not stop the page; the URL is on stderr too.
        let _ = writeln!(out, "{url}").and_then(|()| out.flush());
        drop(out);
        let made_up = if creds.ephemeral.is_empty() {
            "the configured credentials".to_string()
        } else {
            format!(
                "ephemeral {} (the page signs with the sandbox's key; the secret is not shown)",
                creds.ephemeral.join(", ")
            )
        };
        eprintln!(
            "mmjwt: ui: token debugger at {url} (jwt-only sandbox, app code {}, key id {}; {made_up}); Ctrl-C stops it",
            serde_json::Value::String(creds.app_code.clone()),
            serde_json::Value::String(creds.key_id.clone()),
        );
        if !args.no_open && !open_browser(&url) {
            shell.note("no browser could be started; open the URL above yourself");
        }
        let which = signals.wait().await;
        eprintln!("mmjwt: ui: {which}: stopping");
        sandbox
            .shutdown()
            .await
            .map_err(|e| runtime(ErrorKind::State, format!("{e:#}")))?;
        Ok(0)
    })
}

/// Starts the platform's URL opener, quietly, without waiting for it; false when none could
/// be started (a server without a desktop is not an error).
fn open_browser(url: &str) -> bool {
    let openers: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["explorer"]
    } else {
        &["xdg-open"]
    };
    openers.iter().any(|o| {
        Command::new(o)
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            // Reaped in the background so that no zombie is left while the page runs.
            .map(|mut child| {
                std::thread::spawn(move || {
                    let _ = child.wait();
                });
            })
            .is_ok()
    })
}
