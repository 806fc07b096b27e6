//! The process around a command: the panic hook, parsing (clap's errors rendered as mmjwt's
//! one-line errors, with `--json` found before parsing so even those come as JSON), dispatch
//! to the command, and the one place where an error becomes a line on stderr, a JSON object
//! and an exit code.

use crate::cli::Command;
use crate::color;
use crate::commands;
use crate::error::{self, ErrorKind};
use crate::shell::Shell;
use std::ffi::OsString;
use std::process::ExitCode;

/// Parses `args`, runs the command, prints any error, and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    install_panic_hook();
    let args: Vec<OsString> = args.into_iter().collect();
    let json_requested = args.iter().skip(1).any(|a| a == "--json");
    let cli = match crate::cli::parse(&args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e, json_requested, color_from_args(&args)),
    };
    let shell = Shell::new(cli.global.json, cli.global.color);
    let result = dispatch(&cli.command, &shell);
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) if error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let (code, kind) = error::classify(&err);
            report_error(&shell, kind, code, &format!("{err:#}"));
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

fn dispatch(command: &Command, shell: &Shell) -> anyhow::Result<u8> {
    match command {
        Command::Gen(a) => commands::generate::run(a, shell),
        Command::Check(a) => commands::check::run(a, shell),
        Command::Keygen(a) => commands::keygen::run(&a.prefix, shell),
        Command::Sandbox(a) => commands::sandbox::run(a, shell),
        Command::Replay(a) => commands::replay::run(a, shell),
        Command::Audit(a) => commands::audit::run(a, shell),
        Command::Ui(a) => commands::ui::run(a, shell),
        Command::Issuer(a) => commands::issuer::run(a, shell),
        Command::Completions(a) => commands::completions::run_completions(a.shell),
        Command::Man(a) => commands::completions::run_man(a, shell),
    }
}

/// One line on stderr; with `--json` also a structured object on stdout.
fn report_error(shell: &Shell, kind: ErrorKind, code: u8, message: &str) {
    // Keep the report to one line whatever the cause chain contained.
    let one_line = error::for_people(message).replace('\n', " ");
    eprintln!("mmjwt: {} {one_line}", shell.err.bad("error:"));
    if shell.json {
        let v = serde_json::json!({"error": {"kind": kind.as_str(), "message": one_line, "exit_code": code}});
        stdout(&format!("{v}\n"));
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
    let mut choice = color::ColorChoice::Auto;
    let mut it = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--color") {
            Some("") => it.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(c) = value.and_then(|v| crate::cli::values::COLOR.find(v, true)) {
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
                stdout(&e.render().ansi().to_string());
            } else {
                stdout(&e.render().to_string());
            }
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let help = e.render().to_string();
            eprintln!("{}", help.trim_end());
            ExitCode::from(error::exit::USAGE)
        }
        ErrorKind::ValueValidation if value_error(e).is_some() => {
            let msg = value_error(e).unwrap_or_default();
            eprintln!("mmjwt: error: {msg}");
            usage_json(json, &msg);
            ExitCode::from(error::exit::USAGE)
        }
        _ => {
            let msg = one_line(&redact_values(e, e.render().to_string()));
            eprintln!("mmjwt: error: {msg}");
            usage_json(json, &msg);
            ExitCode::from(error::exit::USAGE)
        }
    }
}

/// clap's rendered error as one line: its first line, then what it adds below (the missing
/// arguments, the possible values, the usage line, a tip) in parentheses, so that every error
/// of mmjwt is one `mmjwt: error:` line a script can read. clap's "For more information, try
/// '--help'" is left out: the usage line already names the command.
fn one_line(rendered: &str) -> String {
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("error: invalid arguments");
    let mut msg = first.strip_prefix("error: ").unwrap_or(first).to_owned();
    let mut extra: Vec<String> = Vec::new();
    let mut listing = false;
    for line in lines {
        if line.starts_with("For more information") {
            continue;
        }
        let line = line
            .strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
            .unwrap_or(line);
        let line = match line.strip_prefix("Usage: ") {
            Some(usage) => format!("usage: {usage}"),
            None => line.to_owned(),
        };
        // The list under "the following required arguments were not provided:" continues the
        // sentence; anything else is an aside.
        if extra.is_empty() && msg.ends_with(':') {
            msg.push(' ');
            msg.push_str(&line);
        } else if extra.is_empty() && listing && (line.starts_with('-') || line.starts_with('<')) {
            msg.push_str(", ");
            msg.push_str(&line);
        } else {
            extra.push(line);
        }
        listing = !msg.ends_with(':') && extra.is_empty();
    }
    if !extra.is_empty() {
        msg.push_str(" (");
        msg.push_str(&extra.join("; "));
        msg.push(')');
    }
    msg
}

/// A flag value that one of `cli::values`' parsers refused, as one line that names the flag
/// and says what is wrong: `--leeway: unknown duration unit 'x'; ...`, or `--base-url must be
/// http or https, not ftp` where the parser's words continue the flag's name as a sentence.
/// The value itself is left out, as everywhere else in mmjwt's errors.
fn value_error(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = arg.split(' ').next().unwrap_or(arg);
    let why = std::error::Error::source(e)?.to_string();
    let predicate = ["must ", "is ", "has ", "cannot "]
        .iter()
        .any(|w| why.starts_with(w));
    Some(if predicate {
        format!("{flag} {why}")
    } else {
        format!("{flag}: {why}")
    })
}

/// The JSON error object of a usage error, when `--json` was on the command line.
fn usage_json(json: bool, msg: &str) {
    if json {
        let v = serde_json::json!({"error": {"kind": error::ErrorKind::Usage.as_str(), "message": msg, "exit_code": error::exit::USAGE}});
        stdout(&format!("{v}\n"));
    }
}

/// Writes to stdout, ignoring a closed pipe: `mmjwt --help | head -1` is not a failure, and
/// `print!` would panic on it.
fn stdout(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
