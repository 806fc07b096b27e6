//! The shell a command talks to: whether `--json` was asked for, the colour decision for each
//! stream, and the one way to print warnings and notes on stderr. Library code that reports as
//! it goes (`replay`) takes a [`Shell`] instead of printing by itself.

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
