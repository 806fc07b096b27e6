//! The shell a command talks to: whether `--json` was asked for, the colour decision for each
//! stream, the one way to print warnings and notes on stderr, the progress bar of long runs, and
//! the async runtime the commands that serve or send start. Library code that reports as it
//! goes (`replay`, `audit`) takes a [`Shell`] instead of printing by itself.

use crate::color::{ColorChoice, Painter, Stream};
use std::io::IsTerminal;

/// What every command gets besides its own arguments.
#[derive(Debug, Clone, Copy)]
pub struct Shell {
    pub json: bool,
    pub color: ColorChoice,
    /// Colour decision for stdout.
    pub out: Painter,
    /// Colour decision for stderr.
    pub err: Painter,
    /// Whether stdout is a terminal (pretty JSON there, one line per object otherwise).
    pub stdout_tty: bool,
}

impl Shell {
    pub fn new(json: bool, color: ColorChoice) -> Shell {
        Shell {
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

    /// `mmjwt: error: ...` on stderr, for failures that do not end the command (a batch line).
    pub fn error(&self, message: &str) {
        eprintln!("mmjwt: {} {message}", self.err.bad("error:"));
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

/// A progress bar on stderr when it is a terminal, hidden otherwise; `template` is indicatif's
/// (e.g. `"{bar:30} {pos}/{len} calls  eta {eta}"`).
pub fn progress_bar(len: u64, template: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// The multi-threaded tokio runtime of `sandbox`, `ui`, `replay` and `audit`; `workers: None`
/// takes one thread per core. `gen` and `check` never start one.
pub fn async_runtime(workers: Option<usize>) -> anyhow::Result<tokio::runtime::Runtime> {
    let mut b = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = workers {
        b.worker_threads(n);
    }
    b.enable_all().build().map_err(|e| {
        crate::error::runtime(
            crate::error::ErrorKind::Runtime,
            format!("cannot start the async runtime: {e}"),
        )
    })
}
