//! Line-oriented batch work (many user ids, many tokens): input read in chunks, each chunk split
//! across worker threads, results written in input order. Memory stays flat whatever the input
//! size.

use crate::error::runtime;
use std::io::{BufRead, Write};

/// Lines per chunk: large enough to amortise the thread hand-off, small enough to keep memory
/// flat (a chunk of tokens is a few MB).
pub const CHUNK_LINES: usize = 16_384;

/// What a worker produced for its slice of lines.
#[derive(Debug, Default)]
pub struct Piece {
    /// Output text, written to stdout in order.
    pub text: String,
    /// Diagnostics for stderr, already prefixed with their line numbers.
    pub errors: Vec<String>,
    /// The worst (lowest non-zero) exit code seen in the slice.
    pub exit: u8,
}

/// Combines exit codes: the lowest non-zero one wins.
pub fn merge_exit(a: u8, b: u8) -> u8 {
    match (a, b) {
        (0, x) | (x, 0) => x,
        (x, y) => x.min(y),
    }
}

/// Runs `work(lines, first_line_number, state)` over `input`, one `state` per worker thread, and
/// writes each piece's text to `out` in input order. Calls `on_error` for each diagnostic.
/// Returns the merged exit code.
pub fn run<S: Send>(
    mut input: impl BufRead,
    out: &mut impl Write,
    states: &mut [S],
    work: impl Fn(&[Vec<u8>], usize, &mut S) -> anyhow::Result<Piece> + Sync,
    mut on_error: impl FnMut(&str),
) -> anyhow::Result<u8> {
    let workers = states.len().max(1);
    let mut lines: Vec<Vec<u8>> = Vec::with_capacity(CHUNK_LINES);
    let mut line_no = 0usize;
    let mut exit = 0u8;
    loop {
        lines.clear();
        while lines.len() < CHUNK_LINES {
            let mut buf = Vec::new();
            let n = input.read_until(b'\n', &mut buf).map_err(|e| {
                runtime(
                    "io",
                    format!("cannot read standard input: {}", super::io_reason(&e)),
                )
            })?;
            if n == 0 {
                break;
            }
            lines.push(buf);
        }
        if lines.is_empty() {
            return Ok(exit);
        }
        let first = line_no + 1;
        line_no += lines.len();
        let per = lines.len().div_ceil(workers);
        let work = &work;
        let pieces: Vec<anyhow::Result<Piece>> = if lines.len() < 64 || workers == 1 {
            // Small inputs are not worth a thread.
            vec![work(&lines, first, &mut states[0])]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = lines
                    .chunks(per)
                    .zip(states.iter_mut())
                    .enumerate()
                    .map(|(i, (chunk, st))| s.spawn(move || work(chunk, first + i * per, st)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join()
                            .unwrap_or_else(|_| Err(runtime("internal", "a worker thread failed")))
                    })
                    .collect()
            })
        };
        for p in pieces {
            let p = p?;
            out.write_all(p.text.as_bytes())?;
            for e in &p.errors {
                on_error(e);
            }
            exit = merge_exit(exit, p.exit);
        }
    }
}

/// The number of worker threads: every core, within reason.
pub fn workers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 16)
}

/// A line without its `\n` / `\r\n` ending.
pub fn trim_eol(raw: &[u8]) -> &[u8] {
    let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
    raw.strip_suffix(b"\r").unwrap_or(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_kept_across_workers_and_chunks() {
        let n = CHUNK_LINES * 2 + 17;
        let input: String = (0..n).map(|i| format!("{i}\n")).collect();
        let mut out = Vec::new();
        let mut states = vec![(); 3];
        let code = run(
            input.as_bytes(),
            &mut out,
            &mut states,
            |lines, _first, ()| {
                let mut p = Piece::default();
                for l in lines {
                    p.text.push_str(std::str::from_utf8(trim_eol(l)).unwrap());
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
    fn exit_merge() {
        assert_eq!(merge_exit(0, 12), 12);
        assert_eq!(merge_exit(11, 12), 11);
        assert_eq!(merge_exit(1, 0), 1);
    }
}
