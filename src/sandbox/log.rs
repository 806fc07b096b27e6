//! The per-request log line: method, path, who called (App, or Bearer with the token's `sub`),
//! status, and for refusals the `messageId` and text. As text or NDJSON on stderr. Tokens, app
//! codes and secrets never reach it: the caller is described only by an [`AuthNote`].
//! Also the [`Sink`] that writes the lines: one writer thread, so that under load many lines
//! share one system call.

use super::LogFormat;
use super::auth::AuthNote;
use serde_json::{Map, Value, json};
use std::fmt::Write as _;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

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

/// The line for `e` (without the newline), or `None` when logging is off.
pub fn line(format: LogFormat, e: &Entry<'_>) -> Option<String> {
    let path = if e.path.len() > MAX_PATH {
        let mut end = MAX_PATH;
        while !e.path.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &e.path[..end])
    } else {
        e.path.to_owned()
    };
    match format {
        LogFormat::Off => None,
        LogFormat::Text => {
            let auth = match (&e.note.auth, e.note.auth.sub()) {
                (AuthNote::None, _) => "-".to_string(),
                (a, Some(sub)) => format!("{} sub={}", a.kind(), Value::String(sub.to_owned())),
                (a, None) => a.kind().to_string(),
            };
            let mut s = format!("{} {} {path} {auth} -> {}", e.time, e.method, e.status);
            if let Some(id) = e.note.message_id {
                s.push(' ');
                s.push_str(id);
            }
            if let Some(r) = &e.note.reason {
                s.push_str(": ");
                s.push_str(&r.replace(['\n', '\r'], " "));
            }
            let _ = write!(s, " ({:.1} ms)", e.millis);
            Some(s)
        }
        LogFormat::Json => {
            let mut m = Map::new();
            m.insert("time".into(), json!(e.time));
            m.insert("method".into(), json!(e.method));
            m.insert("path".into(), json!(path));
            m.insert("auth".into(), json!(e.note.auth.kind()));
            if let Some(sub) = e.note.auth.sub() {
                m.insert("sub".into(), json!(sub));
            }
            m.insert("status".into(), json!(e.status));
            if let Some(id) = e.note.message_id {
                m.insert("messageId".into(), json!(id));
            }
            if let Some(r) = &e.note.reason {
                m.insert("reason".into(), json!(r));
            }
            m.insert("ms".into(), json!((e.millis * 10.0).round() / 10.0));
            Some(Value::Object(m).to_string())
        }
    }
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

    /// Returns once every line queued so far has been written.
    pub fn flush(&self) {
        if self.thread.is_none() {
            return;
        }
        let mut p = self.state.lock();
        while !p.bytes.is_empty() || p.writing {
            p = self
                .state
                .written
                .wait(p)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Drop for Sink {
    /// Writes what is still queued, then stops the thread.
    fn drop(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        {
            let mut p = self.state.lock();
            p.closed = true;
            self.state.ready.notify_one();
        }
        let _ = thread.join();
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
        sink.flush();
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
