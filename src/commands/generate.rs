//! `mmjwt gen`: one token for `--user-id ID`, or one per line of standard input for
//! `--user-id -` (in input order, spread over all cores in ordered chunks, constant memory).

use super::batch::{self, Chunk, Piece};
use super::{Ctx, load_secret, open_private, resolve_now};
use crate::cli::GenArgs;
use crate::error::{runtime, usage};
use crate::token::mint::{Claims, JtiSource, Minter, RESERVED_CLAIMS};
use serde_json::Value;
use std::io::{BufRead, BufWriter, Write};

/// Everything a token needs except the user id and jti.
struct Plan {
    app_code: String,
    iat: i64,
    exp: i64,
    iss: bool,
    extra: Vec<(String, Value)>,
    allow_empty: bool,
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

pub fn run(args: &GenArgs, ctx: &Ctx) -> anyhow::Result<u8> {
    let batch = args.user_id == "-";
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
        if !batch && args.user_id.is_empty() {
            return Err(usage(
                "the user id is empty; tokens are for a person's external user id (use --allow-empty for fixtures)",
            ));
        }
    }
    let now = resolve_now(args.now.as_deref())?;
    let exp = match &args.exp {
        Some(t) => crate::time::parse_instant(t).map_err(|e| usage(format!("--exp: {e}")))?,
        None => {
            let ttl =
                crate::time::parse_duration(&args.ttl).map_err(|e| usage(format!("--ttl: {e}")))?;
            now.checked_add(ttl)
                .ok_or_else(|| usage("--ttl is too large"))?
        }
    };
    if exp <= now && !args.allow_expired {
        return Err(usage(format!(
            "exp ({}) is not after now; both SDKs would refuse the token as JWT_TOKEN_EXPIRED (use --allow-expired for fixtures)",
            crate::time::rfc3339(exp).unwrap_or_else(|| exp.to_string())
        )));
    }
    let extra = parse_claims(&args.claim)?;
    let secret = load_secret(&args.secret, ctx)?.ok_or_else(|| {
        usage("no secret: set MMJWT_SECRET, or pass --secret-file PATH, --secret-stdin or --secret HEX")
    })?;
    let minter = Minter::new(&key_id, secret.hmac_key());
    drop(secret);
    let plan = Plan {
        app_code,
        iat: now,
        exp,
        iss: !args.no_iss,
        extra,
        allow_empty: args.allow_empty,
    };

    let mut sink: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(open_private(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let code = if batch {
        let stdin = std::io::BufReader::with_capacity(1 << 20, std::io::stdin());
        let mut w = BufWriter::with_capacity(1 << 16, &mut sink);
        let code = run_batch(stdin, &mut w, &minter, &plan, ctx)?;
        w.flush()?;
        code
    } else {
        let jti = match &args.jti {
            Some(j) => j.clone(),
            None => JtiSource::default()
                .next_uuid()
                .map_err(|e| runtime("random", e.to_string()))?,
        };
        let mut m = minter;
        let line = one_token(&mut m, &plan, &args.user_id, &jti, ctx);
        sink.write_all(line.as_bytes())?;
        0
    };
    sink.flush()?;
    Ok(code)
}

/// The output line for one token: the token, or its JSON object.
fn one_token(m: &mut Minter, plan: &Plan, user_id: &str, jti: &str, ctx: &Ctx) -> String {
    let (token, payload) = m.mint(&plan.claims(user_id, jti));
    if ctx.json {
        let v = crate::render::minted::json(&token, m.header_json(), &payload, plan.exp);
        let mut s = ctx.json_text(&v);
        s.push('\n');
        s
    } else {
        token + "\n"
    }
}

/// Streams user ids from `input` to tokens on `out`, in order. Bad lines (empty, not UTF-8) are
/// reported on stderr with their line number and skipped; the exit code is then 1.
fn run_batch(
    input: impl BufRead + Send,
    out: &mut impl Write,
    minter: &Minter,
    plan: &Plan,
    ctx: &Ctx,
) -> anyhow::Result<u8> {
    let mut states: Vec<(Minter, JtiSource)> = (0..batch::workers())
        .map(|_| (minter.clone(), JtiSource::default()))
        .collect();
    let mut bad = 0usize;
    batch::run(
        batch::CHUNK_LINES,
        input,
        out,
        &mut states,
        |chunk, (m, jtis)| mint_chunk(chunk, m, jtis, plan, ctx),
        |e| {
            bad += 1;
            ctx.warn(e);
        },
    )?;
    if bad > 0 {
        eprintln!("mmjwt: {} {bad} line(s) skipped", ctx.err.bad("error:"));
        return Ok(crate::error::exit::RUNTIME);
    }
    Ok(0)
}

fn mint_chunk(
    chunk: &Chunk,
    m: &mut Minter,
    jtis: &mut JtiSource,
    plan: &Plan,
    ctx: &Ctx,
) -> anyhow::Result<Piece> {
    let mut p = Piece {
        text: String::with_capacity(chunk.data.len() * (if ctx.json { 80 } else { 40 })),
        ..Piece::default()
    };
    for (line, raw) in chunk.lines() {
        let Ok(user_id) = std::str::from_utf8(raw) else {
            p.errors.push(format!(
                "line {line}: the user id is not valid UTF-8; skipped"
            ));
            continue;
        };
        if user_id.is_empty() && !plan.allow_empty {
            p.errors
                .push(format!("line {line}: empty user id; skipped"));
            continue;
        }
        let jti = jtis
            .next_uuid()
            .map_err(|e| runtime("random", e.to_string()))?;
        if ctx.json {
            p.text.push_str(&one_token(m, plan, user_id, &jti, ctx));
        } else {
            m.mint_into(&plan.claims(user_id, &jti), &mut p.text);
            p.text.push('\n');
        }
    }
    Ok(p)
}

/// Parses `--claim KEY=VALUE` (string) and `--claim KEY:=JSON`.
fn parse_claims(items: &[String]) -> anyhow::Result<Vec<(String, Value)>> {
    let mut out: Vec<(String, Value)> = Vec::new();
    for item in items {
        let Some(eq) = item.find('=') else {
            return Err(usage("--claim takes KEY=VALUE (a string) or KEY:=JSON"));
        };
        let (key, value) = if item[..eq].ends_with(':') {
            let key = &item[..eq - 1];
            let v: Value = serde_json::from_str(&item[eq + 1..])
                .map_err(|e| usage(format!("--claim {key}:= is not valid JSON ({e})")))?;
            (key, v)
        } else {
            (&item[..eq], Value::String(item[eq + 1..].to_string()))
        };
        if key.is_empty() {
            return Err(usage("--claim needs a name before '='"));
        }
        if RESERVED_CLAIMS.contains(&key) {
            return Err(usage(format!(
                "--claim cannot set {key}: mmjwt writes it itself (see --user-id, --ttl, --jti, --no-iss)"
            )));
        }
        if out.iter().any(|(k, _)| k == key) {
            return Err(usage(format!("--claim {key} is given twice")));
        }
        out.push((key.to_string(), value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_parse() {
        let c = parse_claims(&["a=b=c".into(), "n:=3".into(), "o:={\"x\":[1]}".into()]).unwrap();
        assert_eq!(c[0], ("a".into(), Value::from("b=c")));
        assert_eq!(c[1], ("n".into(), Value::from(3)));
        assert_eq!(c[2].1["x"][0], 1);
        assert!(parse_claims(&["sub=x".into()]).is_err());
        assert!(parse_claims(&["x".into()]).is_err());
        assert!(parse_claims(&["=x".into()]).is_err());
        assert!(parse_claims(&["n:=nope".into()]).is_err());
        assert!(parse_claims(&["a=1".into(), "a=2".into()]).is_err());
    }
}
