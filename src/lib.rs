//! mmjwt: make, check and replay Infobip Mobile Messaging user-data JWTs, and emulate the Mobile
//! API user endpoints locally.
//!
//! The library exists so the integration tests, the sandbox and `replay` share one
//! implementation of each core; it makes no semantic-versioning promises.
//!
//! Layout: `cli` (clap types), `commands` (one module per subcommand), `token` (gen and check
//! cores), `sdk` (the two SDK emulations), `sandbox` (the Mobile API emulator), `render` (reports
//! as text or JSON), `secret`, `b64`, `time`, `color`, `problem` (the code vocabulary), `error`
//! (exit codes).

pub mod b64;
pub mod cli;
pub mod color;
pub mod commands;
pub mod error;
pub mod problem;
pub mod render;
pub mod replay;
pub mod sandbox;
pub mod sdk;
pub mod secret;
pub mod time;
pub mod token;

use clap::Parser as _;
use cli::{Cli, Command};
use commands::Ctx;
use std::ffi::OsString;
use std::process::ExitCode;

/// Parses `args`, runs the command, prints any error, and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    install_panic_hook();
    let args: Vec<OsString> = args.into_iter().collect();
    let json_requested = args.iter().skip(1).any(|a| a == "--json");
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e, json_requested, color_from_args(&args)),
    };
    let ctx = Ctx::new(cli.json, cli.color);
    let result = dispatch(&cli.command, &ctx);
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) if error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let (code, kind) = error::classify(&err);
            report_error(&ctx, kind, code, &format!("{err:#}"));
            ExitCode::from(code)
        }
    }
}

/// A bug must not spill a value: Rust's default report prints the panic's message, and an
/// `unwrap` or `expect` message can quote the value it failed on (a token, part of a secret).
/// This report names the place only; with `RUST_BACKTRACE` set it adds the backtrace, which
/// holds function names and addresses, never values. The exit code stays Rust's 101.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "mmjwt: error: internal error{at} (a bug in mmjwt; please report it with the command that caused it, leaving out tokens and secrets)"
        );
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            eprintln!("{}", std::backtrace::Backtrace::force_capture());
        }
    }));
}

fn dispatch(command: &Command, ctx: &Ctx) -> anyhow::Result<u8> {
    match command {
        Command::Gen(a) => commands::generate::run(a, ctx),
        Command::Check(a) => commands::check::run(a, ctx),
        Command::Keygen(a) => commands::keygen::run(&a.prefix, ctx),
        Command::Sandbox(a) => commands::sandbox::run(a, ctx),
        Command::Replay(a) => commands::replay::run(a, ctx),
        Command::Ui(a) => commands::ui::run(a, ctx),
        Command::Completions(a) => commands::completions::run_completions(a.shell),
        Command::Man => commands::completions::run_man(),
    }
}

/// One line on stderr; with `--json` also a structured object on stdout.
fn report_error(ctx: &Ctx, kind: &str, code: u8, message: &str) {
    // Keep the report to one line whatever the cause chain contained.
    let one_line = message.replace('\n', " ");
    eprintln!("mmjwt: {} {one_line}", ctx.err.bad("error:"));
    if ctx.json {
        let v =
            serde_json::json!({"error": {"kind": kind, "message": one_line, "exit_code": code}});
        println!("{v}");
    }
}

/// clap quotes the value it refused. A long one is likely a token or a secret pasted in the
/// wrong place (`mmjwt check TOKEN TOKEN2`), so it is shown only by its length.
fn redact_values(e: &clap::Error, rendered: String) -> String {
    use clap::error::{ContextKind, ContextValue};
    let mut out = rendered;
    for kind in [ContextKind::InvalidArg, ContextKind::InvalidValue] {
        if let Some(ContextValue::String(v)) = e.get(kind)
            && v.chars().count() > 24
        {
            let hidden = format!("<{} characters, not shown>", v.chars().count());
            out = out.replace(&format!("'{v}'"), &hidden);
        }
    }
    out
}

/// `--color` as written on the command line, for output made before parsing succeeded (help).
fn color_from_args(args: &[OsString]) -> color::ColorChoice {
    use clap::ValueEnum as _;
    let mut choice = color::ColorChoice::Auto;
    let mut it = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--color") {
            Some("") => it.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(c) = value.and_then(|v| color::ColorChoice::from_str(v, true).ok()) {
            choice = c;
        }
    }
    choice
}

fn clap_error(e: &clap::Error, json: bool, color: color::ColorChoice) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // Help goes to stdout: styled only where stdout would be coloured.
            if color::Painter::for_stream(color, color::Stream::Stdout).enabled {
                print!("{}", e.render().ansi());
            } else {
                print!("{}", e.render());
            }
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{}", e.render());
            ExitCode::from(error::exit::USAGE)
        }
        _ => {
            let rendered = redact_values(e, e.render().to_string());
            let first = rendered
                .lines()
                .next()
                .unwrap_or("error: invalid arguments");
            let msg = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("mmjwt: error: {msg}");
            for line in rendered.lines().skip(1).filter(|l| !l.trim().is_empty()) {
                eprintln!("  {}", line.trim_end());
            }
            if json {
                let v = serde_json::json!({"error": {"kind": "usage", "message": msg, "exit_code": error::exit::USAGE}});
                println!("{v}");
            }
            ExitCode::from(error::exit::USAGE)
        }
    }
}
