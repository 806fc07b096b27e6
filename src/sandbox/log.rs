//! The per-request log line: method, path, who called (App, or Bearer with the token's `sub`),
//! status, and for refusals the `messageId` and text. As text or NDJSON on stderr. Tokens, app
//! codes and secrets never reach it: the caller is described only by an [`AuthNote`].
//! Also the [`Sink`] that writes the lines: one writer thread, so that under load many lines
//! share one system call.

use super::LogFormat;
use super::auth::AuthNote;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What a handler tells the log about its request (carried as a response extension).
#[derive(Debug, Clone, Default)]
pub struct LogNote {
    pub auth: AuthNote,
    pub message_id: Option<&'static str>,
    pub reason: Option<String>,
}

/// One request as the log sees it.
#[derive(Debug)]
pub struct Entry<'a> {
    pub time: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub millis: f64,
    pub note: &'a LogNote,
}

/// Paths longer than this are cut in the log.
const MAX_PATH: usize = 200;

/// The line for `e` (without the newline), or `None` when logging is off. Built in one string
/// (no intermediate strings or JSON values): it is on every request's path.
pub fn line(format: LogFormat, e: &Entry<'_>) -> Option<String> {
    let (path, cut) = if e.path.len() > MAX_PATH {
        let mut end = MAX_PATH;
        while !e.path.is_char_boundary(end) {
            end -= 1;
        }
        (&e.path[..end], "…")
    } else {
        (e.path, "")
    };
    match format {
        LogFormat::Off => None,
        LogFormat::Text => {
            let reason_len = e.note.reason.as_ref().map_or(0, String::len);
            let mut s = String::with_capacity(112 + path.len() + reason_len);
            s.push_str(e.time);
            s.push(' ');
            s.push_str(e.method);
            s.push(' ');
            s.push_str(path);
            s.push_str(cut);
            s.push(' ');
            match (&e.note.auth, e.note.auth.sub()) {
                (AuthNote::None, _) => s.push('-'),
                (a, Some(sub)) => {
                    s.push_str(a.kind());
                    s.push_str(" sub=");
                    // JSON string syntax: quotes and control characters cannot forge a line.
                    s.push_str(&serde_json::to_string(sub).unwrap_or_default());
                }
                (a, None) => s.push_str(a.kind()),
            }
            let _ = write!(s, " -> {}", e.status);
            if let Some(id) = e.note.message_id {
                s.push(' ');
                s.push_str(id);
            }
            if let Some(r) = &e.note.reason {
                s.push_str(": ");
                s.extend(
                    r.chars()
                        .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }),
                );
            }
            let _ = write!(s, " ({:.1} ms)", e.millis);
            Some(s)
        }
        LogFormat::Json => {
            let cut_path;
            let line = JsonLine {
                time: e.time,
                method: e.method,
                path: if cut.is_empty() {
                    path
                } else {
                    cut_path = format!("{path}{cut}");
                    &cut_path
                },
                auth: e.note.auth.kind(),
                sub: e.note.auth.sub(),
                status: e.status,
                message_id: e.note.message_id,
                reason: e.note.reason.as_deref(),
                ms: (e.millis * 10.0).round() / 10.0,
            };
            serde_json::to_string(&line).ok()
        }
    }
}

/// The NDJSON line, serialised directly (members in this order; absent ones left out).
#[derive(Serialize)]
struct JsonLine<'a> {
    time: &'a str,
    method: &'a str,
    path: &'a str,
    auth: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub: Option<&'a str>,
    status: u16,
    #[serde(rename = "messageId", skip_serializing_if = "Option::is_none")]
    message_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    ms: f64,
}

/// Lines not yet written before [`Sink::write_line`] waits for the writer (backpressure, as
/// when every request wrote its own line, with bounded memory).
const MAX_PENDING: usize = 1 << 20;

/// After writing a batch the writer pauses this long, so that under load the lines of many
/// requests share one write instead of each paying a write and a thread wake-up.
const BATCH_PAUSE: Duration = Duration::from_millis(1);

/// Where log lines go. A request only appends its line to a buffer; a writer thread writes
/// whatever has accumulated in one `write`. One write per line was a fifth of a request's cost
/// under load; this way a busy sandbox writes about once per [`BATCH_PAUSE`], and an idle one
/// still writes a line as soon as the thread wakes. Lines are never split or interleaved, and
/// they keep the order in which requests finished.
pub struct Sink {
    state: Arc<SinkState>,
    thread: Option<JoinHandle<()>>,
}

struct SinkState {
    buf: Mutex<Pending>,
    /// The writer waits here for lines (or for the sink to close).
    ready: Condvar,
    /// Writers blocked by a full buffer and [`Sink::flush`] wait here for a batch to be out.
    written: Condvar,
}

#[derive(Default)]
struct Pending {
    bytes: Vec<u8>,
    /// The writer thread is waiting on `ready` (only then is it worth a wake-up call).
    idle: bool,
    /// The writer thread holds a batch it has not finished writing.
    writing: bool,
    closed: bool,
}

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sink")
            .field("thread", &self.thread.is_some())
            .finish_non_exhaustive()
    }
}

impl SinkState {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // Nothing panics while holding the lock; a poisoned buffer is still a byte buffer.
        self.buf.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Sink {
    /// A sink writing to stderr. Without a writer thread (the system refused one), lines are
    /// written directly, one write each.
    pub fn stderr() -> Sink {
        Sink::to(std::io::stderr())
    }

    /// A sink writing to `out` (tests use a buffer).
    pub fn to<W: Write + Send + 'static>(out: W) -> Sink {
        let state = Arc::new(SinkState {
            buf: Mutex::new(Pending::default()),
            ready: Condvar::new(),
            written: Condvar::new(),
        });
        let for_thread = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("mmjwt-sandbox-log".into())
            .spawn(move || write_batches(&for_thread, out))
            .ok();
        Sink { state, thread }
    }

    /// Queues one line (a newline is added).
    pub fn write_line(&self, line: &str) {
        if self.thread.is_none() {
            let mut l = String::with_capacity(line.len() + 1);
            l.push_str(line);
            l.push('\n');
            let _ = std::io::stderr().lock().write_all(l.as_bytes());
            return;
        }
        let mut p = self.state.lock();
        while p.bytes.len() >= MAX_PENDING && !p.closed {
            p = self
                .state
                .written
                .wait(p)
                .unwrap_or_else(PoisonError::into_inner);
        }
        p.bytes.extend_from_slice(line.as_bytes());
        p.bytes.push(b'\n');
        if p.idle {
            p.idle = false;
            self.state.ready.notify_one();
        }
    }

    /// Returns once every line queued so far has been written, or after `limit` (stderr may
    /// be a pipe nobody reads; stopping must not hang on it). True when all was written.
    pub fn flush(&self, limit: Duration) -> bool {
        self.thread.is_none() || self.wait_written(Instant::now() + limit)
    }

    /// Waits until every queued line is written; false when `deadline` passes first or the
    /// writer thread has ended with lines left.
    fn wait_written(&self, deadline: Instant) -> bool {
        let mut p = self.state.lock();
        while !p.bytes.is_empty() || p.writing {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.thread.as_ref().is_some_and(JoinHandle::is_finished) {
                return false;
            }
            p = self
                .state
                .written
                .wait_timeout(p, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

/// How long dropping a sink waits for its lines to be written.
const DROP_FLUSH_LIMIT: Duration = Duration::from_secs(2);

impl Drop for Sink {
    /// Writes what is still queued (waiting at most [`DROP_FLUSH_LIMIT`]) and stops the
    /// thread; a thread stuck on a blocked stderr is left behind rather than waited for.
    fn drop(&mut self) {
        if self.thread.is_none() {
            return;
        }
        {
            let mut p = self.state.lock();
            p.closed = true;
            self.state.ready.notify_one();
        }
        let done = self.wait_written(Instant::now() + DROP_FLUSH_LIMIT);
        let Some(thread) = self.thread.take() else {
            return;
        };
        if done {
            // Nothing left to write: the thread is ending (at most one pause away).
            let _ = thread.join();
        }
    }
}

/// The writer thread: takes everything queued, writes it in one go, repeats; ends when the
/// sink closes and nothing is left.
fn write_batches<W: Write>(state: &SinkState, mut out: W) {
    let mut batch: Vec<u8> = Vec::new();
    let mut p = state.lock();
    loop {
        while p.bytes.is_empty() && !p.closed {
            p.idle = true;
            p = state.ready.wait(p).unwrap_or_else(PoisonError::into_inner);
        }
        p.idle = false;
        if p.bytes.is_empty() {
            break;
        }
        std::mem::swap(&mut batch, &mut p.bytes);
        p.writing = true;
        drop(p);
        // A closed or full stderr must not stop the sandbox; the line is dropped, as before.
        let _ = out.write_all(&batch).and_then(|()| out.flush());
        batch.clear();
        p = state.lock();
        p.writing = false;
        state.written.notify_all();
        if !p.closed {
            // Not idle meanwhile: lines queued during the pause wake nobody.
            drop(p);
            std::thread::sleep(BATCH_PAUSE);
            p = state.lock();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn text_and_json_lines() {
        let note = LogNote {
            auth: AuthNote::Bearer {
                sub: Some("al ice".into()),
            },
            message_id: Some("SUB_MISMATCH"),
            reason: Some("the token's sub\nis wrong".into()),
        };
        let e = Entry {
            time: "T",
            method: "GET",
            path: "/p",
            status: 401,
            millis: 1.24,
            note: &note,
        };
        assert_eq!(
            line(LogFormat::Text, &e).unwrap(),
            "T GET /p Bearer sub=\"al ice\" -> 401 SUB_MISMATCH: the token's sub is wrong (1.2 ms)"
        );
        let j: Value = serde_json::from_str(&line(LogFormat::Json, &e).unwrap()).unwrap();
        assert_eq!(j["auth"], "Bearer");
        assert_eq!(j["sub"], "al ice");
        assert_eq!(j["messageId"], "SUB_MISMATCH");
        assert_eq!(j["status"], 401);
        assert_eq!(
            line(LogFormat::Json, &e).unwrap(),
            r#"{"time":"T","method":"GET","path":"/p","auth":"Bearer","sub":"al ice","status":401,"messageId":"SUB_MISMATCH","reason":"the token's sub\nis wrong","ms":1.2}"#,
            "members in the documented order"
        );
        assert!(line(LogFormat::Off, &e).is_none());
        let ok = LogNote::default();
        let e = Entry {
            note: &ok,
            status: 200,
            ..e
        };
        assert_eq!(
            line(LogFormat::Text, &e).unwrap(),
            "T GET /p - -> 200 (1.2 ms)"
        );
    }

    #[test]
    fn long_paths_are_cut_and_subs_quoted() {
        let path = format!("/{}", "é".repeat(150));
        let note = LogNote {
            auth: AuthNote::Bearer {
                sub: Some("a\"b\nc".into()),
            },
            ..LogNote::default()
        };
        let e = Entry {
            time: "T",
            method: "GET",
            path: &path,
            status: 200,
            millis: 0.04,
            note: &note,
        };
        let shown = format!("/{}…", "é".repeat(99));
        assert_eq!(
            line(LogFormat::Text, &e).unwrap(),
            format!("T GET {shown} Bearer sub=\"a\\\"b\\nc\" -> 200 (0.0 ms)")
        );
        let j: Value = serde_json::from_str(&line(LogFormat::Json, &e).unwrap()).unwrap();
        assert_eq!(j["path"], shown.as_str());
        assert_eq!(j["sub"], "a\"b\nc");
        assert_eq!(j["ms"], 0.0);
        assert!(j.get("messageId").is_none() && j.get("reason").is_none());
    }

    /// A `Write` into a buffer the test can read while the sink owns the writer.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn sink_writes_every_line_whole_and_in_order_per_writer() {
        let out = Captured::default();
        let sink = Arc::new(Sink::to(out.clone()));
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let sink = Arc::clone(&sink);
                std::thread::spawn(move || {
                    for i in 0..2000 {
                        sink.write_line(&format!("t{t} line {i} {}", "x".repeat(i % 50)));
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert!(sink.flush(Duration::from_secs(10)));
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert!(text.ends_with('\n'));
        let mut next = [0usize; 4];
        for line in text.lines() {
            let mut words = line.split(' ');
            let t: usize = words.next().unwrap()[1..].parse().unwrap();
            assert_eq!(words.next(), Some("line"), "{line:?}");
            let i: usize = words.next().unwrap().parse().unwrap();
            assert_eq!(i, next[t], "thread {t}'s lines in order");
            assert_eq!(words.next().unwrap(), "x".repeat(i % 50));
            next[t] += 1;
        }
        assert_eq!(next, [2000; 4]);
    }

    /// A writer that blocks until the test lets it go (a pipe nobody reads).
    struct Stuck(std::sync::mpsc::Receiver<()>);

    impl Write for Stuck {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            let _ = self.0.recv();
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn flush_gives_up_on_a_blocked_output() {
        let (release, rx) = std::sync::mpsc::channel();
        let sink = Sink::to(Stuck(rx));
        sink.write_line("x");
        assert!(!sink.flush(Duration::from_millis(50)));
        release.send(()).unwrap();
        assert!(sink.flush(Duration::from_secs(10)));
    }

    #[test]
    fn dropping_the_sink_writes_what_is_queued() {
        let out = Captured::default();
        let sink = Sink::to(out.clone());
        for i in 0..100 {
            sink.write_line(&i.to_string());
        }
        drop(sink);
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let expected: String = (0..100).map(|i| format!("{i}\n")).collect();
        assert_eq!(text, expected);
    }
}
