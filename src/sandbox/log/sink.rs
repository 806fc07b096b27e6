//! The request log's writer: one thread that writes whatever lines have accumulated in one
//! system call, so that under load many requests share a write.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Lines not yet written before [`Sink::write_line`] waits for the writer (backpressure, as
/// when every request wrote its own line, with bounded memory).
const MAX_PENDING: usize = 1 << 20;

/// After writing a batch the writer pauses this long, so that under load the lines of many
/// requests share one write instead of each paying a write and a thread wake-up.
const BATCH_PAUSE: Duration = Duration::from_millis(1);

/// Where log lines go. A request only appends its line to a buffer; a writer thread writes
/// whatever has accumulated in one `write`. One write per line was a fifth of a request's cost
/// under load; this way a busy sandbox writes about once per `BATCH_PAUSE`, and an idle one
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
    /// Writes what is still queued (waiting at most `DROP_FLUSH_LIMIT`) and stops the
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
