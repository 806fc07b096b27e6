//! Line-oriented batch work (many user ids, many tokens): a reader, worker threads and a writer
//! joined by bounded queues, results written in input order. A fixed number of buffer slots go
//! round the pipeline, so memory stays flat whatever the input size and nothing is allocated per
//! chunk once the slots have grown.

use crate::error::{ErrorKind, runtime};
use std::io::{BufRead, Write};

/// Lines per chunk for work whose output per line is small (a token, ~400 bytes): large enough
/// to amortise the thread hand-off, small enough to keep memory flat (~1.5 MB a chunk, and at
/// most [`slots`] chunks are alive).
pub(crate) const CHUNK_LINES: usize = 4096;

/// A chunk also ends at the first line end after this many bytes of input, so that long lines
/// (long user ids, long tokens) cannot make a chunk's input and output large; the usual inputs
/// reach their line count first.
const CHUNK_BYTES: usize = 1 << 19;

/// Output text a piece can carry: `String` for reports, bytes for tokens (which are ASCII by
/// construction and need no UTF-8 check).
pub(crate) trait Text: Default + Send {
    fn bytes(&self) -> &[u8];
    fn clear(&mut self);
}

impl Text for String {
    fn bytes(&self) -> &[u8] {
        self.as_bytes()
    }
    fn clear(&mut self) {
        String::clear(self);
    }
}

impl Text for Vec<u8> {
    fn bytes(&self) -> &[u8] {
        self
    }
    fn clear(&mut self) {
        Vec::clear(self);
    }
}

/// What a worker produced for its slice of lines.
#[derive(Debug, Default)]
pub(crate) struct Piece<T = String> {
    /// Output text, written to stdout in order.
    pub text: T,
    /// Diagnostics for stderr, already prefixed with their line numbers.
    pub errors: Vec<String>,
    /// The worst (lowest non-zero) exit code seen in the slice.
    pub exit: u8,
}

pub(crate) use crate::error::merge_exit;

/// A run of whole input lines, as read (line endings included).
#[derive(Debug)]
pub(crate) struct Chunk {
    /// Sequence number, for putting results back in order.
    seq: usize,
    /// Line number of the first line.
    pub first_line: usize,
    pub data: Vec<u8>,
}

impl Chunk {
    /// The lines of the chunk, without their `\n` / `\r\n` endings, numbered.
    pub(crate) fn lines(&self) -> impl Iterator<Item = (usize, &[u8])> {
        let data = self.data.as_slice();
        let mut start = 0;
        let mut no = self.first_line;
        // memchr finds each newline a word at a time; a byte-wise split was a visible cost.
        std::iter::from_fn(move || {
            if start >= data.len() {
                return None;
            }
            let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |i| start + i + 1);
            let line = (no, trim_eol(&data[start..end]));
            start = end;
            no += 1;
            Some(line)
        })
    }
}

/// How a batch is cut into chunks, and how many may wait for the workers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// Lines per chunk (at most; see [`CHUNK_BYTES`]).
    pub lines: usize,
    /// Chunks each worker may have queued besides the one it works on. One is enough when
    /// writing a chunk is quick; batch `gen` writes a large chunk, often to a file, and with
    /// three its workers go on while the writer is in a long `write` (`check`, whose output goes
    /// out faster, gains nothing from more and would only use more memory).
    pub queued: usize,
}

/// How many chunks may be alive at once (being read, queued, worked on, waiting for their turn
/// or being written): every buffer of the pipeline belongs to one of these slots, so this bounds
/// memory whatever the input size and however unevenly the workers progress.
fn slots(workers: usize, queued: usize) -> usize {
    workers * (1 + queued) + 2
}

/// A worker's result for the chunk with this sequence number: the slot's buffers back, or why
/// the work stopped.
type Done<T> = (usize, anyhow::Result<(Vec<u8>, Piece<T>)>);

/// Runs `work(chunk, state, piece)` over `input` in a pipeline: a reader thread cuts the input
/// into chunks of lines, one worker thread per `state` fills a piece for each, and this thread
/// writes the pieces to `out` in input order. `on_error` sees each diagnostic, in order. Returns
/// the merged exit code.
///
/// A fixed number of slots (a chunk's input buffer and its piece) go round from the reader to a
/// worker to this thread and back to the reader, emptied but keeping their capacity: after the
/// first few chunks nothing is allocated or freed, no buffer is freed on a thread other than the
/// one that grew it, and at most [`slots`] chunks exist at once.
pub(crate) fn run_into<S: Send, T: Text>(
    shape: Shape,
    input: impl BufRead + Send,
    out: &mut impl Write,
    states: &mut [S],
    work: impl Fn(&Chunk, &mut S, &mut Piece<T>) -> anyhow::Result<()> + Sync,
    mut on_error: impl FnMut(&str),
) -> anyhow::Result<u8> {
    use std::sync::mpsc::sync_channel;
    use std::sync::{Arc, Mutex};

    let workers = states.len().max(1);
    let n_slots = slots(workers, shape.queued);
    // Every channel can hold every slot, so a send never waits for room.
    let (free_tx, free_rx) = sync_channel::<(Vec<u8>, Piece<T>)>(n_slots);
    for _ in 0..n_slots {
        free_tx
            .send((Vec::new(), Piece::default()))
            .map_err(|_| runtime(ErrorKind::Internal, "the batch pipeline stopped"))?;
    }
    let (chunk_tx, chunk_rx) = sync_channel::<(Chunk, Piece<T>)>(n_slots);
    let chunk_rx = Arc::new(Mutex::new(chunk_rx));
    let (piece_tx, piece_rx) = sync_channel::<Done<T>>(n_slots);
    let work = &work;

    std::thread::scope(|s| -> anyhow::Result<u8> {
        let reader = s.spawn(move || read_chunks(input, shape.lines.max(1), &free_rx, &chunk_tx));
        for state in states.iter_mut() {
            let rx = Arc::clone(&chunk_rx);
            let tx = piece_tx.clone();
            s.spawn(move || {
                loop {
                    // The lock is held only while taking the next chunk.
                    let next = rx.lock().map(|r| r.recv());
                    let Ok(Ok((chunk, mut piece))) = next else {
                        break;
                    };
                    piece.text.clear();
                    piece.errors.clear();
                    piece.exit = 0;
                    let result = work(&chunk, state, &mut piece).map(|()| (chunk.data, piece));
                    if tx.send((chunk.seq, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(piece_tx);

        let mut pending = std::collections::BTreeMap::new();
        let mut next = 0usize;
        let mut exit = 0u8;
        for (seq, done) in piece_rx {
            pending.insert(seq, done);
            while let Some(done) = pending.remove(&next) {
                next += 1;
                // Returning drops the receiver, which stops the workers and then the reader.
                let (mut data, p) = done?;
                out.write_all(p.text.bytes())?;
                for e in &p.errors {
                    on_error(e);
                }
                exit = merge_exit(exit, p.exit);
                data.clear();
                // The reader may have finished already; the slot is then simply dropped.
                let _ = free_tx.send((data, p));
            }
        }
        drop(free_tx);
        reader
            .join()
            .unwrap_or_else(|_| Err(runtime(ErrorKind::Internal, "the reader thread failed")))?;
        Ok(exit)
    })
}

/// Cuts `input` into chunks of whole lines, each into a free slot's buffer, and queues them;
/// stops early if nobody listens.
fn read_chunks<T>(
    mut input: impl BufRead,
    chunk_lines: usize,
    free: &std::sync::mpsc::Receiver<(Vec<u8>, Piece<T>)>,
    tx: &std::sync::mpsc::SyncSender<(Chunk, Piece<T>)>,
) -> anyhow::Result<()> {
    let mut line_no = 0usize;
    let mut seq = 0usize;
    // No free slot means the writer has stopped.
    while let Ok((mut data, piece)) = free.recv() {
        let n_lines = fill_chunk(&mut input, chunk_lines, CHUNK_BYTES, &mut data)
            .map_err(|e| runtime(ErrorKind::Io, format!("cannot read standard input: {e}")))?;
        if n_lines == 0 {
            return Ok(());
        }
        let chunk = Chunk {
            seq,
            first_line: line_no + 1,
            data,
        };
        seq += 1;
        line_no += n_lines;
        if tx.send((chunk, piece)).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

/// Appends whole lines of `input` to `data` (the last line of the input may lack its `\n`) until
/// there are `max_lines` or `data` holds at least `max_bytes`; returns how many. Copies straight
/// from the reader's buffer, a run of lines at a time, instead of line by line.
fn fill_chunk(
    input: &mut impl BufRead,
    max_lines: usize,
    max_bytes: usize,
    data: &mut Vec<u8>,
) -> std::io::Result<usize> {
    let mut n_lines = 0;
    while n_lines < max_lines {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            // The end of the input: a last line without its newline is still a line.
            if data.last().is_some_and(|&b| b != b'\n') {
                n_lines += 1;
            }
            break;
        }
        let mut take = buf.len();
        for i in memchr::memchr_iter(b'\n', buf) {
            n_lines += 1;
            if n_lines == max_lines || data.len() + i + 1 >= max_bytes {
                take = i + 1;
                break;
            }
        }
        data.extend_from_slice(&buf[..take]);
        input.consume(take);
        if data.len() >= max_bytes && data.last() == Some(&b'\n') {
            break;
        }
    }
    Ok(n_lines)
}

/// The number of worker threads: every core, within reason.
pub(crate) fn workers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 16)
}

/// A line without its `\n` / `\r\n` ending.
pub(crate) fn trim_eol(raw: &[u8]) -> &[u8] {
    let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
    raw.strip_suffix(b"\r").unwrap_or(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`run_into`] for work that makes a fresh [`Piece`] per chunk (the tests' shorthand).
    fn run<S: Send>(
        chunk_lines: usize,
        input: impl BufRead + Send,
        out: &mut impl Write,
        states: &mut [S],
        work: impl Fn(&Chunk, &mut S) -> anyhow::Result<Piece> + Sync,
        on_error: impl FnMut(&str),
    ) -> anyhow::Result<u8> {
        run_into(
            Shape {
                lines: chunk_lines,
                queued: 1,
            },
            input,
            out,
            states,
            |chunk, state, piece: &mut Piece| {
                *piece = work(chunk, state)?;
                Ok(())
            },
            on_error,
        )
    }

    #[test]
    fn order_is_kept_across_workers_and_chunks() {
        let n = CHUNK_LINES * 3 + 17;
        let input: String = (0..n).map(|i| format!("{i}\n")).collect();
        let mut out = Vec::new();
        let mut states = vec![(); 3];
        let code = run(
            CHUNK_LINES,
            input.as_bytes(),
            &mut out,
            &mut states,
            |chunk, ()| {
                let mut p: Piece = Piece::default();
                for (no, l) in chunk.lines() {
                    let text = std::str::from_utf8(l).unwrap();
                    assert_eq!(text.parse::<usize>().unwrap() + 1, no);
                    p.text.push_str(text);
                    p.text.push('\n');
                }
                Ok(p)
            },
            |_| {},
        )
        .unwrap();
        assert_eq!(code, 0);
        assert_eq!(String::from_utf8(out).unwrap(), input);
    }

    #[test]
    fn chunks_are_whole_lines_wherever_the_read_buffer_ends() {
        let lines: Vec<String> = (0..200).map(|i| "x".repeat(i % 11)).collect();
        // The last line has no newline; one has a CRLF ending.
        let input = lines.join("\n").replacen("xxxx\n", "xxxx\r\n", 1);
        for capacity in [1, 2, 3, 7, 64, 1 << 16] {
            for chunk_lines in [1, 3, 64, 1000] {
                let mut out = Vec::new();
                run_into(
                    Shape {
                        lines: chunk_lines,
                        queued: 1,
                    },
                    std::io::BufReader::with_capacity(capacity, input.as_bytes()),
                    &mut out,
                    &mut [(), ()],
                    |chunk, (), p: &mut Piece<Vec<u8>>| {
                        for (no, l) in chunk.lines() {
                            assert_eq!(l, lines[no - 1].as_bytes(), "line {no}");
                            p.text.extend_from_slice(l);
                            p.text.push(b'\n');
                        }
                        Ok(())
                    },
                    |_| {},
                )
                .unwrap();
                assert_eq!(out, (lines.join("\n") + "\n").into_bytes());
            }
        }
    }

    #[test]
    fn long_lines_end_a_chunk_early() {
        let input = format!("{}\nshort\n{}\nlast", "a".repeat(100), "b".repeat(300));
        let mut reader = std::io::BufReader::with_capacity(7, input.as_bytes());
        let mut sizes = Vec::new();
        loop {
            let mut data = Vec::new();
            let n = fill_chunk(&mut reader, 1000, 150, &mut data).unwrap();
            if n == 0 {
                break;
            }
            assert!(
                data.len() < 150 || data.ends_with(b"\n") || n == 1,
                "{n} lines"
            );
            sizes.push((n, data.len()));
        }
        // Whole lines only: the first chunk ends after the line that crosses 150 bytes.
        assert_eq!(sizes, [(3, 408), (1, 4)]);
        let mut data = Vec::new();
        let mut reader = std::io::BufReader::with_capacity(7, input.as_bytes());
        assert_eq!(fill_chunk(&mut reader, 1000, 50, &mut data).unwrap(), 1);
        assert_eq!(data.len(), 101);
    }

    #[test]
    fn buffers_go_round_instead_of_being_made_per_chunk() {
        let input = "line\n".repeat(1000);
        let workers = 2;
        for queued in [1, 3] {
            let fresh = std::sync::atomic::AtomicUsize::new(0);
            run_into(
                Shape { lines: 10, queued },
                input.as_bytes(),
                &mut Vec::new(),
                &mut vec![(); workers],
                |chunk, (), p: &mut Piece<Vec<u8>>| {
                    if p.text.capacity() == 0 {
                        fresh.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    for (_, l) in chunk.lines() {
                        p.text.extend_from_slice(l);
                    }
                    Ok(())
                },
                |_| {},
            )
            .unwrap();
            // 100 chunks, but only as many output buffers as there are slots were ever new.
            let fresh = fresh.into_inner();
            assert!(
                fresh >= 1 && fresh <= slots(workers, queued),
                "queued {queued}: {fresh} fresh buffers"
            );
        }
    }

    #[test]
    fn errors_and_exit_codes_come_back_in_order() {
        let input = "a\nb\nc\n";
        let mut seen = Vec::new();
        let code = run(
            CHUNK_LINES,
            input.as_bytes(),
            &mut Vec::new(),
            &mut [()],
            |chunk, ()| {
                let mut p = Piece {
                    exit: 12,
                    ..Piece::default()
                };
                for (no, _) in chunk.lines() {
                    p.errors.push(format!("line {no}"));
                }
                Ok(p)
            },
            |e| seen.push(e.to_string()),
        )
        .unwrap();
        assert_eq!(code, 12);
        assert_eq!(seen, ["line 1", "line 2", "line 3"]);
    }
}
