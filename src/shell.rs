//! The shell a command talks to: whether `--json` was asked for, the colour decision for each
//! stream, the one way to print warnings and notes on stderr, the progress line of long runs, and
//! the async runtime the commands that serve or send start. Library code that reports as it
//! goes (`replay`, `audit`) takes a [`Shell`] instead of printing by itself.

use crate::color::{ColorChoice, Painter, Stream};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

    /// A progress line over `total` items called `noun` (see [`Progress`]).
    pub fn progress(&self, total: u64, noun: &'static str) -> Progress {
        if self.json || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        Progress(Some(Arc::new(Mutex::new(ProgressLine {
            done: 0,
            total,
            noun,
            start: Instant::now(),
            drawn: None,
        }))))
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

/// A one-line progress count on stderr (`37/120 calls  12/s  eta 9s`), redrawn in place at
/// most ten times a second; a no-op when stderr is not a terminal or the output is JSON, so
/// logs and pipes never see it. Cheap to clone; clones draw the same line.
#[derive(Debug, Clone)]
pub struct Progress(Option<Arc<Mutex<ProgressLine>>>);

#[derive(Debug)]
struct ProgressLine {
    done: u64,
    total: u64,
    noun: &'static str,
    start: Instant,
    drawn: Option<Instant>,
}

impl ProgressLine {
    fn draw(&mut self) {
        let secs = self.start.elapsed().as_secs_f64();
        let mut line = format!("{}/{} {}", self.done, self.total, self.noun);
        if secs >= 1.0 && self.done > 0 {
            let rate = self.done as f64 / secs;
            let left = (self.total.saturating_sub(self.done) as f64 / rate).ceil() as u64;
            let _ = write!(
                line,
                "  {rate:.0}/s  eta {}",
                crate::time::human_duration(left)
            );
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        self.drawn = Some(Instant::now());
    }

    fn clear(&mut self) {
        if self.drawn.take().is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

impl Progress {
    /// Counts one more done.
    pub fn inc(&self) {
        if let Some(line) = &self.0 {
            let mut l = line
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            l.done += 1;
            if l.drawn
                .is_none_or(|at| at.elapsed() >= Duration::from_millis(100))
            {
                l.draw();
            }
        }
    }

    /// Runs `f` (which writes to the terminal) with the line cleared, then redraws it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        let Some(line) = &self.0 else { return f() };
        let mut l = line
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let was_drawn = l.drawn.is_some();
        l.clear();
        let r = f();
        if was_drawn {
            l.draw();
        }
        r
    }

    /// Clears the line for good.
    pub fn finish(&self) {
        if let Some(line) = &self.0 {
            line.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clear();
        }
    }
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
