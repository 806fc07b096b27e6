//! `mmjwt check`: one token from the argument, or one per non-empty line of standard input, each
//! judged and reported (text or JSON); the exit code is the lowest non-zero one among them.

use super::batch::{self, Chunk, Piece};
use super::{load_secret, resolve_now};
use crate::cli::CheckArgs;
use crate::error::usage;
use crate::shell::Shell;
use crate::token::check::{Expectations, Keys, Options, check};
use crate::token::report;
use crate::token::{Input, normalize_input};
use std::borrow::Cow;
use std::io::{BufWriter, IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

pub(crate) fn run(args: &CheckArgs, shell: &Shell) -> anyhow::Result<u8> {
    let from_stdin = match args.token.as_deref() {
        Some("-") => true,
        Some(_) => false,
        None if std::io::stdin().is_terminal() => {
            return Err(usage(
                "no token: pass it as an argument, '-' for standard input, or pipe it in",
            ));
        }
        None => true,
    };
    if from_stdin && args.secret.reads_stdin() {
        return Err(usage(
            "standard input cannot carry both the secret and the tokens; use MMJWT_SECRET or --secret-file PATH",
        ));
    }
    let now = resolve_now(args.now);
    let leeway = args.leeway;
    let secret = load_secret(&args.secret, shell)?;
    let key = secret.as_ref().map(crate::secret::Secret::hmac_key);
    drop(secret);
    let opts = Options {
        now,
        leeway,
        keys: key.as_ref().map_or(Keys::None, Keys::Single),
        expect: Expectations {
            sub: args.user_id.as_deref(),
            app_code: args.cred.app_code.as_deref(),
            kid: args.cred.key_id.as_deref(),
        },
        require_signature: args.require_signature,
        sdk: args.sdk,
    };
    let stdout = std::io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    let code = if from_stdin {
        let seen = AtomicUsize::new(0);
        let mut states = vec![(); batch::workers()];
        // A JSON report is ~1.3 KB, three times a token: smaller chunks keep memory flat.
        let code = batch::run(
            batch::CHUNK_LINES / 4,
            std::io::BufReader::with_capacity(1 << 20, std::io::stdin()),
            &mut out,
            &mut states,
            |chunk, ()| Ok(judge_lines(chunk, &opts, shell, &seen)),
            |_| {},
        )?;
        if seen.load(Ordering::Relaxed) == 0 {
            return Err(usage("no token on standard input"));
        }
        code
    } else {
        let input = normalize_input(args.token.as_deref().unwrap_or_default());
        let mut text = String::new();
        let code = judge(&mut text, &input, None, &opts, shell);
        out.write_all(text.as_bytes())?;
        code
    };
    out.flush()?;
    Ok(code)
}

/// Judges the non-empty lines of a chunk.
fn judge_lines(chunk: &Chunk, opts: &Options<'_>, shell: &Shell, seen: &AtomicUsize) -> Piece {
    // A JSON report is about four times its token: one allocation for the chunk's output.
    let mut p = Piece {
        text: String::with_capacity(chunk.data.len() * 5),
        ..Piece::default()
    };
    for (line, raw) in chunk.lines() {
        // Strict UTF-8 validation is much faster than the lossy decoder; the lossy one is only
        // needed for lines that are not UTF-8.
        let text =
            std::str::from_utf8(raw).map_or_else(|_| String::from_utf8_lossy(raw), Cow::Borrowed);
        if text.trim().is_empty() {
            continue;
        }
        seen.fetch_add(1, Ordering::Relaxed);
        let input = normalize_input(&text);
        let code = judge(&mut p.text, &input, Some(line), opts, shell);
        p.exit = batch::merge_exit(p.exit, code);
    }
    p
}

/// Appends one token's report (and a newline) to `out`; returns its exit code.
fn judge(
    out: &mut String,
    input: &Input,
    line: Option<usize>,
    opts: &Options<'_>,
    shell: &Shell,
) -> u8 {
    let report = check(&input.token, opts);
    if shell.json && shell.stdout_tty {
        let v = report::json(&report, input, line, opts.now, opts.leeway);
        out.push_str(&shell.json_text(&v));
    } else if shell.json {
        // One line per token, written without serde's machinery (batches spend their time here).
        report::write_json(out, &report, input, line, opts.now, opts.leeway);
    } else {
        if let Some(l) = line {
            out.push_str(&shell.out.label(&format!("── line {l} ──\n")));
        }
        out.push_str(&report::text(&report, input, opts.now, shell.out));
    }
    out.push('\n');
    report.exit_code()
}
