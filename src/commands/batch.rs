//! Line-oriented batch work (many user ids, many tokens): a reader, worker threads and a writer
//! joined by bounded queues, results written in input order. Memory stays flat whatever the
//! input size.

use crate::error::{ErrorKind, runtime};
use std::io::{BufRead, Write};

/// Lines per chunk for work whose output per line is small (a token, ~400 bytes): large enough
/// to amortise the thread hand-off, small enough to keep memory flat (~1.5 MB a chunk).
pub(crate) const CHUNK_LINES: usize = 4096;

/// What a worker produced for its slice of lines.
#[derive(Debug, Default)]
pub(crate) struct Piece {
    /// Output text, written to stdout in order.
    pub text: String,
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

/// Runs `work(chunk, state)` over `input` in a pipeline: a reader thread cuts the input into
/// chunks of lines, one worker thread per `state` processes them, and this thread puts the
/// pieces back in input order on `out`. Queues are bounded, so memory stays flat whatever the
/// input size. `on_error` sees each diagnostic, in order. Returns the merged exit code.
pub(crate) fn run<S: Send>(
    chunk_lines: usize,
    input: impl BufRead + Send,
    out: &mut impl Write,
    states: &mut [S],
    work: impl Fn(&Chunk, &mut S) -> anyhow::Result<Piece> + Sync,
    mut on_error: impl FnMut(&str),
) -> anyhow::Result<u8> {
    use std::sync::mpsc::sync_channel;
    use std::sync::{Arc, Mutex};

    let workers = states.len().max(1);
    let (chunk_tx, chunk_rx) = sync_channel::<Chunk>(workers * 2);
    let chunk_rx = Arc::new(Mutex::new(chunk_rx));
    let (piece_tx, piece_rx) = sync_channel::<(usize, anyhow::Result<Piece>)>(workers * 2);
    let work = &work;

    std::thread::scope(|s| -> anyhow::Result<u8> {
        let reader = s.spawn(move || read_chunks(input, chunk_lines.max(1), &chunk_tx));
        for state in states.iter_mut() {
            let rx = Arc::clone(&chunk_rx);
            let tx = piece_tx.clone();
            s.spawn(move || {
                loop {
                    // The lock is held only while taking the next chunk.
                    let next = rx.lock().map(|r| r.recv());
                    let Ok(Ok(chunk)) = next else { break };
                    let result = work(&chunk, state);
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
        for (seq, piece) in piece_rx {
            pending.insert(seq, piece);
            while let Some(p) = pending.remove(&next) {
                next += 1;
                // Returning drops the receiver, which stops the workers and then the reader.
                let p = p?;
                out.write_all(p.text.as_bytes())?;
                for e in &p.errors {
                    on_error(e);
                }
                exit = merge_exit(exit, p.exit);
            }
        }
        reader
            .join()
            .unwrap_or_else(|_| Err(runtime(ErrorKind::Internal, "the reader thread failed")))?;
        Ok(exit)
    })
}

/// Cuts `input` into chunks of whole lines and queues them; stops early if nobody listens.
fn read_chunks(
    mut input: impl BufRead,
    chunk_lines: usize,
    tx: &std::sync::mpsc::SyncSender<Chunk>,
) -> anyhow::Result<()> {
    let mut line_no = 0usize;
    let mut seq = 0usize;
    loop {
        let mut data = Vec::with_capacity(1 << 17);
        let mut n_lines = 0;
        while n_lines < chunk_lines {
            let n = input
                .read_until(b'\n', &mut data)
                .map_err(|e| runtime(ErrorKind::Io, format!("cannot read standard input: {e}")))?;
            if n == 0 {
                break;
            }
            n_lines += 1;
        }
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
        if tx.send(chunk).is_err() {
            return Ok(());
        }
    }
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
                let mut p = Piece::default();
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
