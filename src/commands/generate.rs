//! `mmjwt gen`: one token for `--user-id ID`, or one per line of standard input for
//! `--user-id -` (in input order, spread over all cores in ordered chunks, constant memory).

use super::batch::{self, Chunk, Piece};
use super::{load_secret, open_private, resolve_now};
use crate::cli::GenArgs;
use crate::cli::values::ClaimArg;
use crate::error::{ErrorKind, runtime, usage};
use crate::sdk::plugins::Plugin;
use crate::secret::HmacKey;
use crate::shell::Shell;
use crate::token::breakage::{self, BreakKind, Prediction, Recipe};
use crate::token::mint::{BatchMinter, Claims, JtiSource, Minter, uuid_v4};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufWriter, Write};
use std::sync::Mutex;

/// Everything a token needs except the user id and jti.
struct Plan {
    app_code: String,
    iat: i64,
    exp: i64,
    iss: bool,
    extra: Vec<(String, Value)>,
    allow_empty: bool,
    /// `--break`: how each token fails, and what the prediction is judged against.
    breakage: Option<Breakage>,
}

/// `--break KIND`: the kind, the intended key id and key (the App Profile's), the clock, and
/// the plugins whose objects the prediction shows.
struct Breakage {
    kind: BreakKind,
    kid: String,
    key: HmacKey,
    now: i64,
    plugins: Vec<Plugin>,
}

impl Plan {
    fn claims<'a>(&'a self, sub: &'a str, jti: &'a str) -> Claims<'a> {
        Claims {
            sub,
            app_code: &self.app_code,
            iat: self.iat,
            exp: self.exp,
            jti,
            iss: self.iss.then_some(self.app_code.as_str()),
            extra: &self.extra,
        }
    }
}

pub(crate) fn run(args: &GenArgs, shell: &Shell) -> anyhow::Result<u8> {
    if let Some(from) = &args.from {
        return super::gen_from::run(args, from, shell);
    }
    // clap requires --user-id without --from.
    let user_id = args
        .user_id
        .as_deref()
        .ok_or_else(|| usage("missing --user-id ID (or --from TOKEN)"))?;
    let batch = user_id == "-";
    if batch && args.secret.reads_stdin() {
        return Err(usage(
            "standard input cannot carry both the secret and the user ids; use MMJWT_SECRET or --secret-file PATH",
        ));
    }
    if batch && args.jti.is_some() {
        return Err(usage(
            "--jti gives every token the same id; it applies to a single --user-id only",
        ));
    }
    let app_code = args.cred.app_code.clone().ok_or_else(|| {
        usage("missing the application code: pass --app-code or set MMJWT_APP_CODE")
    })?;
    let key_id = args
        .cred
        .key_id
        .clone()
        .ok_or_else(|| usage("missing the key id: pass --key-id or set MMJWT_KEY_ID"))?;
    if !args.allow_empty {
        if app_code.is_empty() {
            return Err(usage(
                "the application code is empty; the server would refuse the token (use --allow-empty for fixtures)",
            ));
        }
        if key_id.is_empty() {
            return Err(usage(
                "the key id is empty; the server would refuse the token (use --allow-empty for fixtures)",
            ));
        }
        if !batch && user_id.is_empty() {
            return Err(usage(
                "the user id is empty; tokens are for a person's external user id (use --allow-empty for fixtures)",
            ));
        }
    }
    let now = resolve_now(args.now);
    let exp = match args.exp {
        Some(t) => t,
        None => now
            .checked_add(ttl(args)?)
            .ok_or_else(|| usage("--ttl is too large"))?,
    };
    // With --break the breakage is the point, and the prediction on stderr says what an exp in
    // the past does besides.
    if exp <= now && !args.allow_expired && args.break_kind.is_none() {
        return Err(usage(format!(
            "exp ({}) is not after now; both SDKs would refuse the token as JWT_TOKEN_EXPIRED (use --allow-expired for fixtures)",
            crate::time::rfc3339(exp).unwrap_or_else(|| exp.to_string())
        )));
    }
    let extra = collect_claims(&args.claim)?;
    let secret = load_secret(&args.secret, shell)?.ok_or_else(|| {
        usage("no secret: set MMJWT_SECRET, or pass --secret-file PATH, --secret-stdin or --secret HEX")
    })?;
    let key = secret.hmac_key();
    drop(secret);
    let minter = Minter::new(&key_id, key.clone());
    let breakage = args.break_kind.map(|kind| Breakage {
        kind,
        kid: key_id.clone(),
        key,
        now,
        plugins: super::check::plugins(&args.plugin),
    });
    let plan = Plan {
        app_code,
        iat: now,
        exp,
        iss: !args.no_iss,
        extra,
        allow_empty: args.allow_empty,
        breakage,
    };

    let mut sink: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(open_private(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let code = if batch {
        let stdin = std::io::BufReader::with_capacity(1 << 20, std::io::stdin());
        let mut w = BufWriter::with_capacity(1 << 16, &mut sink);
        let code = run_batch(stdin, &mut w, &minter, &plan, shell)?;
        w.flush()?;
        code
    } else {
        let jti = match &args.jti {
            Some(j) => j.clone(),
            None => JtiSource::default()
                .next_uuid()
                .map_err(|e| runtime(ErrorKind::Random, e.to_string()))?,
        };
        let mut m = minter;
        if let Some(b) = &plan.breakage {
            let (line, prediction) = broken_token(b, &plan, user_id, &jti, shell)?;
            sink.write_all(line.as_bytes())?;
            sink.flush()?;
            if !shell.json {
                eprint!("{}", breakage::text(&prediction, &b.plugins, shell.err));
            }
        } else {
            let line = one_token(&mut m, &plan, user_id, &jti, shell);
            sink.write_all(line.as_bytes())?;
        }
        0
    };
    sink.flush()?;
    Ok(code)
}

/// The output line for one token: the token, or its JSON object.
fn one_token(m: &mut Minter, plan: &Plan, user_id: &str, jti: &str, shell: &Shell) -> String {
    let (token, payload) = m.mint(&plan.claims(user_id, jti));
    if shell.json {
        let v = crate::token::mint::gen_json(&token, m.header_json(), &payload, plan.exp);
        let mut s = shell.json_text(&v);
        s.push('\n');
        s
    } else {
        token + "\n"
    }
}

/// The output line for one broken token (the token, or its JSON object with the prediction),
/// and the prediction.
fn broken_token(
    b: &Breakage,
    plan: &Plan,
    user_id: &str,
    jti: &str,
    shell: &Shell,
) -> anyhow::Result<(String, Prediction)> {
    let recipe = Recipe {
        kid: &b.kid,
        key: &b.key,
        claims: plan.claims(user_id, jti),
    };
    // A token gen makes has every member a kind changes; a failure here is a bug.
    let (broken, prediction) = breakage::break_token(b.kind, &recipe, b.now)
        .map_err(|e| runtime(ErrorKind::Internal, e.to_string()))?;
    let line = if shell.json {
        let mut s = shell.json_text(&breakage::gen_json(&broken, &prediction));
        s.push('\n');
        s
    } else {
        broken.made.token + "\n"
    };
    Ok((line, prediction))
}

/// Chunks of batch `gen`: 1,024 lines (their tokens are about 340 KB), enough minting per
/// chunk that handing it to a worker costs little beside it, few enough that the chunks alive
/// at once stay small; three queued per worker (see [`batch::Shape`]).
const GEN_SHAPE: batch::Shape = batch::Shape {
    lines: 1024,
    queued: 3,
};

/// Streams user ids from `input` to tokens on `out`, in order. Bad lines (empty, not UTF-8) are
/// reported on stderr with their line number and skipped; the exit code is then 1.
fn run_batch(
    input: impl BufRead + Send,
    out: &mut impl Write,
    minter: &Minter,
    plan: &Plan,
    shell: &Shell,
) -> anyhow::Result<u8> {
    let mut bad = 0usize;
    let on_error = |e: &str| {
        bad += 1;
        shell.warn(e);
    };
    if let Some(b) = &plan.breakage {
        let said: Mutex<Said> = Mutex::default();
        mint_lines(
            input,
            out,
            (),
            on_error,
            |chunk, (), jtis, p: &mut Piece| break_chunk(chunk, b, jtis, plan, shell, &said, p),
        )?;
        if !shell.json {
            let said = said
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let mut said: Vec<Seen> = said.into_values().collect();
            said.sort_by_key(|s| s.first);
            for s in said {
                eprintln!("{} token(s) alike; the one of line {}:", s.count, s.first);
                eprint!("{}", s.text);
            }
        }
    } else if shell.json {
        mint_lines(
            input,
            out,
            minter.clone(),
            on_error,
            |chunk, m, jtis, p: &mut Piece| json_chunk(chunk, m, jtis, plan, shell, p),
        )?;
    } else {
        // Plain tokens: the batch minter, which does once what every token shares.
        let fast = minter.batch(&plan.claims("", ""));
        mint_lines(
            input,
            out,
            fast,
            on_error,
            |chunk, m, jtis, p: &mut Piece<Vec<u8>>| token_chunk(chunk, m, jtis, plan, p),
        )?;
    }
    if bad > 0 {
        eprintln!("mmjwt: {} {bad} line(s) skipped", shell.err.bad("error:"));
        return Ok(crate::error::exit::RUNTIME);
    }
    Ok(0)
}

/// Runs `mint` over the chunks of `input` on every worker, each with its own copy of `minter`
/// (signing reuses its buffers) and its own jti source.
fn mint_lines<M: Clone + Send, T: batch::Text>(
    input: impl BufRead + Send,
    out: &mut impl Write,
    minter: M,
    on_error: impl FnMut(&str),
    mint: impl Fn(&Chunk, &mut M, &mut JtiSource, &mut Piece<T>) -> anyhow::Result<()> + Sync,
) -> anyhow::Result<u8> {
    let mut states: Vec<(M, JtiSource)> = (0..batch::workers())
        .map(|_| (minter.clone(), JtiSource::default()))
        .collect();
    batch::run_into(
        GEN_SHAPE,
        input,
        out,
        &mut states,
        |chunk, (m, jtis), p| mint(chunk, m, jtis, p),
        on_error,
    )
}

/// The user id on a line, or the diagnostic for a line that has none.
fn user_id<'a>(line: usize, raw: &'a [u8], plan: &Plan) -> Result<&'a str, String> {
    let Ok(user_id) = std::str::from_utf8(raw) else {
        return Err(format!(
            "line {line}: the user id is not valid UTF-8; skipped"
        ));
    };
    if user_id.is_empty() && !plan.allow_empty {
        return Err(format!("line {line}: empty user id; skipped"));
    }
    Ok(user_id)
}

/// One token per line, each followed by a newline.
fn token_chunk(
    chunk: &Chunk,
    m: &mut BatchMinter,
    jtis: &mut JtiSource,
    plan: &Plan,
    p: &mut Piece<Vec<u8>>,
) -> anyhow::Result<()> {
    // No reservation: the pipeline hands back buffers that have already grown to a chunk's size.
    each_user_id(chunk, jtis, plan, p, |_, user_id, random, text| {
        m.mint_into(user_id, random, text);
        text.push(b'\n');
        Ok(())
    })
}

/// One `gen --json` object per line.
fn json_chunk(
    chunk: &Chunk,
    m: &mut Minter,
    jtis: &mut JtiSource,
    plan: &Plan,
    shell: &Shell,
    p: &mut Piece,
) -> anyhow::Result<()> {
    each_user_id(chunk, jtis, plan, p, |_, user_id, random, text| {
        text.push_str(&one_token(m, plan, user_id, &uuid_v4(random), shell));
        Ok(())
    })
}

/// The tokens of a batch whose predictions are alike (the same verdicts, objects, answer and
/// branches; the change and the server's text name each token's own values): the first one's
/// line and text, and how many.
struct Seen {
    first: usize,
    text: String,
    count: usize,
}

/// [`Seen`] by the prediction's shape.
type Said = HashMap<String, Seen>;

/// What makes two predictions alike: everything but the words that name the token's values.
fn shape(p: &Prediction) -> String {
    let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
    if let Some(m) = v.as_object_mut() {
        m.remove("change");
    }
    if let Some(server) = v.get_mut("server").and_then(Value::as_object_mut) {
        server.remove("text");
    }
    v.to_string()
}

/// Adds a prediction first seen on `line` to `said`.
fn note(said: &mut Said, line: usize, p: &Prediction, text: impl FnOnce() -> String) {
    let seen = said.entry(shape(p)).or_insert_with(|| Seen {
        first: line,
        text: String::new(),
        count: 0,
    });
    if seen.count == 0 || line < seen.first {
        seen.first = line;
        seen.text = text();
    }
    seen.count += 1;
}

/// One broken token (or its `--json` object) per line; the predictions go to `said`.
fn break_chunk(
    chunk: &Chunk,
    b: &Breakage,
    jtis: &mut JtiSource,
    plan: &Plan,
    shell: &Shell,
    said: &Mutex<Said>,
    p: &mut Piece,
) -> anyhow::Result<()> {
    let mut here = Said::new();
    each_user_id(chunk, jtis, plan, p, |line, user_id, random, text| {
        let (token, prediction) = broken_token(b, plan, user_id, &uuid_v4(random), shell)?;
        text.push_str(&token);
        if !shell.json {
            note(&mut here, line, &prediction, || {
                breakage::text(&prediction, &b.plugins, shell.err)
            });
        }
        Ok(())
    })?;
    let mut all = said
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for (key, s) in here {
        let seen = all.entry(key).or_insert(Seen {
            first: s.first,
            text: String::new(),
            count: 0,
        });
        if seen.count == 0 || s.first < seen.first {
            seen.first = s.first;
            seen.text = s.text;
        }
        seen.count += s.count;
    }
    Ok(())
}

/// Calls `mint(line number, user id, random bytes for its jti, output)` for each line of
/// `chunk` that holds a user id; the other lines become diagnostics in `p`.
fn each_user_id<T: batch::Text>(
    chunk: &Chunk,
    jtis: &mut JtiSource,
    plan: &Plan,
    p: &mut Piece<T>,
    mut mint: impl FnMut(usize, &str, [u8; 16], &mut T) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    for (line, raw) in chunk.lines() {
        match user_id(line, raw, plan) {
            Ok(user_id) => {
                let random = jtis
                    .next_bytes()
                    .map_err(|e| runtime(ErrorKind::Random, e.to_string()))?;
                mint(line, user_id, random, &mut p.text)?;
            }
            Err(e) => p.errors.push(e),
        }
    }
    Ok(())
}

/// `--ttl`, or the default lifetime.
fn ttl(args: &GenArgs) -> anyhow::Result<i64> {
    match args.ttl {
        Some(t) => Ok(t),
        None => crate::cli::values::seconds(crate::cli::values::DEFAULT_TTL).map_err(usage),
    }
}

/// The `--claim`s in order; each name at most once.
pub(super) fn collect_claims(items: &[ClaimArg]) -> anyhow::Result<Vec<(String, Value)>> {
    let mut out: Vec<(String, Value)> = Vec::with_capacity(items.len());
    for c in items {
        if out.iter().any(|(k, _)| *k == c.key) {
            return Err(usage(format!("--claim {} is given twice", c.key)));
        }
        out.push((c.key.clone(), c.value.clone()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_name_is_given_once() {
        let c: Vec<ClaimArg> = ["a=1", "b:=2"].iter().map(|s| s.parse().unwrap()).collect();
        assert_eq!(collect_claims(&c).unwrap().len(), 2);
        let twice: Vec<ClaimArg> = ["a=1", "a=2"].iter().map(|s| s.parse().unwrap()).collect();
        assert!(collect_claims(&twice).is_err());
    }
}
