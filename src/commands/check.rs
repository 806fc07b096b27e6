//! `mmjwt check`: one token from the argument, or one per non-empty line of standard input, each
//! judged and reported (text or JSON); the exit code is the lowest non-zero one among them.

use super::batch::{self, Chunk, Piece};
use super::{load_secret, resolve_now};
use crate::cli::CheckArgs;
use crate::cli::values::PluginList;
use crate::error::usage;
use crate::sdk::plugins::Plugin;
use crate::shell::Shell;
use crate::token::check::{Expectations, Keys, Options, check_input};
use crate::token::pitfalls::KeyVariants;
use crate::token::{Input, exact_input, normalize_input};
use crate::token::{quick, report};
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
    let key = secret
        .as_ref()
        .map(|s| (s.hmac_key(), KeyVariants::from_secret(s)));
    drop(secret);
    let shown = plugins(&args.plugin);
    let how = How {
        exact: args.exact,
        plugins: &shown,
    };
    let opts = Options {
        now,
        leeway,
        keys: key
            .as_ref()
            .map_or(Keys::None, |(k, v)| Keys::SingleWithVariants(k, v)),
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
        // A JSON report is about four times its token: smaller chunks keep memory flat. With
        // the one-pass writer a chunk is done sooner and more of them wait in the queues at
        // once, so 512 lines.
        // The pieces go round the pipeline and keep their capacity (`batch::run_into`), so
        // after the first chunks no output buffer is allocated, or freed by another thread.
        let code = batch::run_into(
            batch::Shape {
                lines: batch::CHUNK_LINES / 8,
                queued: 1,
            },
            std::io::BufReader::with_capacity(1 << 20, std::io::stdin()),
            &mut out,
            &mut states,
            |chunk, (), piece: &mut Piece| {
                judge_lines(chunk, &opts, how, shell, &seen, piece);
                Ok(())
            },
            |_| {},
        )?;
        if seen.load(Ordering::Relaxed) == 0 {
            // An empty answer piped from a backend (not even an empty line) lands here: point
            // at the way to judge the empty string.
            return Err(usage(if args.exact {
                "no token on standard input (not even an empty line); to judge the empty string, run: mmjwt check --exact ''"
            } else {
                "no token on standard input"
            }));
        }
        code
    } else {
        let raw = args.token.as_deref().unwrap_or_default();
        let mut text = String::new();
        let code = judge(&mut text, raw, None, &opts, how, shell);
        out.write_all(text.as_bytes())?;
        code
    };
    out.flush()?;
    Ok(code)
}

/// How to read and show each token.
#[derive(Debug, Clone, Copy)]
struct How<'a> {
    exact: bool,
    plugins: &'a [Plugin],
}

/// The plugins to show, each once, in a fixed order.
pub(super) fn plugins(lists: &[PluginList]) -> Vec<Plugin> {
    let mut v: Vec<Plugin> = lists.iter().flat_map(|l| l.0.iter().copied()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Judges the non-empty lines of a chunk (with `--exact`, every line that has a character)
/// into `p` (empty, with the capacity an earlier chunk left it).
fn judge_lines(
    chunk: &Chunk,
    opts: &Options<'_>,
    how: How<'_>,
    shell: &Shell,
    seen: &AtomicUsize,
    p: &mut Piece,
) {
    // A JSON report is about four times its token: one allocation for the chunk's output, the
    // first time the slot is used.
    p.text.reserve(chunk.data.len() * 5);
    // Counted per chunk: an atomic add per token made both workers fight over one cache line.
    let mut judged = 0;
    let quick = shell.json && !shell.stdout_tty && !how.exact;
    for (line, raw) in chunk.lines() {
        // The usual token, valid, gets its line written in one pass, straight from the bytes
        // (the path takes only base64url and dots, so it needs no UTF-8 check); `quick` steps
        // aside (writing nothing) for anything else, which `judge` below words.
        if quick && quick::write_json(&mut p.text, raw, Some(line), opts) {
            p.text.push('\n');
            judged += 1;
            continue;
        }
        // Strict UTF-8 validation is much faster than the lossy decoder; the lossy one is only
        // needed for lines that are not UTF-8.
        let text =
            std::str::from_utf8(raw).map_or_else(|_| String::from_utf8_lossy(raw), Cow::Borrowed);
        // Under --exact every line is a token, the empty one included (it is what an app
        // passes when the backend answers nothing); otherwise a blank line is no token.
        if !how.exact && text.trim().is_empty() {
            continue;
        }
        judged += 1;
        let code = judge(&mut p.text, &text, Some(line), opts, how, shell);
        p.exit = batch::merge_exit(p.exit, code);
    }
    seen.fetch_add(judged, Ordering::Relaxed);
}

/// Appends the report on `raw` (and a newline) to `out`; returns its exit code. Batches ask
/// `quick` first (see `judge_lines`); one token is judged here whatever it is (the one-pass line
/// would write the same bytes, and saves nothing that a start-up would notice).
fn judge(
    out: &mut String,
    raw: &str,
    line: Option<usize>,
    opts: &Options<'_>,
    how: How<'_>,
    shell: &Shell,
) -> u8 {
    let input: Input = if how.exact {
        exact_input(raw)
    } else {
        normalize_input(raw)
    };
    let input = &input;
    let report = check_input(raw, input, opts);
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
        out.push_str(&report::text_with_plugins(
            &report,
            input,
            opts.now,
            shell.out,
            how.plugins,
        ));
    }
    out.push('\n');
    report.exit_code()
}
