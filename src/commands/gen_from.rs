//! `mmjwt gen --from TOKEN`: an existing token's header and claims, edited by `gen`'s flags and
//! signed again with the configured secret ([`crate::token::edit`]). The result is judged as
//! `check` judges it and refused, as `gen` refuses, when the SDKs or the server would refuse
//! it without an `--allow-…` for that refusal; what is let through is said on stderr. With
//! `--break KIND` the edited token is then broken as `gen --break` breaks gen's own
//! ([`crate::token::breakage`]), made whatever `check` says, and the prediction is said.

use super::generate::collect_claims;
use super::{load_secret, open_private, resolve_now};
use crate::cli::GenArgs;
use crate::error::{ErrorKind, runtime, usage};
use crate::problem::Problem;
use crate::shell::Shell;
use crate::token::breakage::{self, CannotBreak, Identity, Prediction};
use crate::token::edit::{self, Allowance, Allowed, Change, Edits, Resigned};
use crate::token::{MAX_TOKEN_BYTES, normalize_input};
use std::io::{Read, Write};

/// The `schema` member of `gen --from --json` (docs/schema/gen-from.json).
const SCHEMA: u32 = 2;

pub(crate) fn run(args: &GenArgs, from: &str, shell: &Shell) -> anyhow::Result<u8> {
    if args.user_id.as_deref() == Some("-") {
        return Err(usage(
            "--user-id - reads user ids from standard input; with --from give one --user-id ID",
        ));
    }
    let raw = if from == "-" {
        if args.secret.reads_stdin() {
            return Err(usage(
                "standard input cannot carry both the secret and the token; use MMJWT_SECRET or --secret-file PATH",
            ));
        }
        read_stdin_token()?
    } else {
        from.to_owned()
    };
    let input = normalize_input(&raw);
    if input.token.is_empty() {
        return Err(usage("--from: the token is empty"));
    }
    let now = resolve_now(args.now);
    let mut unset = args.unset.clone();
    if args.no_iss {
        unset.push("iss".to_owned());
    }
    let ttl_exp = match args.ttl {
        Some(ttl) => Some(
            now.checked_add(ttl)
                .ok_or_else(|| usage("--ttl is too large"))?,
        ),
        None => None,
    };
    let edits = Edits {
        key_id: args.cred.key_id.clone(),
        user_id: args.user_id.clone(),
        app_code: args.cred.app_code.clone(),
        jti: args.jti.clone(),
        // --ttl times the token from now, as gen does; --now alone moves only iat.
        iat: (args.now.is_some() || args.ttl.is_some()).then_some(now),
        exp: args.exp.or(ttl_exp),
        claims: collect_claims(&args.claim)?,
        unset,
    };
    let secret = load_secret(&args.secret, shell)?.ok_or_else(|| {
        usage("no secret: set MMJWT_SECRET, or pass --secret-file PATH, --secret-stdin or --secret HEX")
    })?;
    let key = secret.hmac_key();
    drop(secret);
    let edited = edit::edit(&input.token, &edits).map_err(|e| usage(format!("--from: {e}")))?;
    // --break: the edited token broken one way more, judged against whom it names.
    let (made, prediction) = match args.break_kind {
        None => (edited.sign(&key), None),
        Some(kind) => {
            let cannot = |e: CannotBreak| usage(format!("--break {}: {e}", kind.name()));
            let intended = Identity::named_by(&edited, &key).map_err(cannot)?;
            let broken = breakage::break_edited(kind, edited, &intended, now).map_err(cannot)?;
            let prediction = breakage::predict(&broken, &intended, now);
            (broken.made, Some(prediction))
        }
    };
    let report = edit::judge(&made.token, &key, now);
    let allowed = Allowed {
        expired: args.allow_expired,
        empty: args.allow_empty,
        // A token made to fail is made whatever check says; the prediction says it.
        broken: prediction.is_some(),
    };
    let refused = edit::refusals(&report, allowed);
    if !refused.is_empty() {
        return Err(usage(refusal_message(&refused)));
    }
    let notes: Vec<String> = input.notes.iter().chain(&made.notes).cloned().collect();
    if prediction.is_none() {
        for p in first_of_each_code(report.problems.iter()) {
            shell.warn(&format!(
                "the edited token is refused as {}: {} (made anyway: {})",
                p.code,
                p.message,
                flag(Allowance::for_code(p.code)).unwrap_or("as asked")
            ));
        }
    }
    if !shell.json {
        for n in &notes {
            shell.note(n);
        }
        shell.note(&changes_line(&made.changes));
    }
    let line = if shell.json {
        let mut s = shell.json_text(&json(&made, &notes, &report.problems, prediction.as_ref()));
        s.push('\n');
        s
    } else {
        format!("{}\n", made.token)
    };
    let mut sink: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(open_private(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    sink.write_all(line.as_bytes())?;
    sink.flush()?;
    if let Some(p) = &prediction
        && !shell.json
    {
        eprint!(
            "{}",
            breakage::text(p, &super::check::plugins(&args.plugin), shell.err)
        );
    }
    Ok(0)
}

/// The one token on standard input: one line (its `\n` or `\r\n` removed), UTF-8.
fn read_stdin_token() -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    // A token is at most MAX_TOKEN_BYTES; a little more is read to tell a longer input apart.
    std::io::stdin()
        .take(MAX_TOKEN_BYTES as u64 * 2)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            runtime(
                ErrorKind::Io,
                format!("cannot read the token from standard input: {e}"),
            )
        })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| usage("--from -: standard input is not UTF-8 text"))?;
    let line = text.strip_suffix('\n').unwrap_or(&text);
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.trim().contains('\n') {
        return Err(usage(
            "--from -: standard input holds more than one line; give one token",
        ));
    }
    if line.is_empty() {
        return Err(usage("--from -: no token on standard input"));
    }
    Ok(line.to_owned())
}

/// The flag that lets a refusal through, where `gen` has one.
fn flag(a: Allowance) -> Option<&'static str> {
    match a {
        Allowance::Expired => Some("--allow-expired"),
        Allowance::Empty => Some("--allow-empty"),
        Allowance::Broken => None,
    }
}

/// The first problem of each code (the SDKs often say the same thing as the server).
fn first_of_each_code<'a>(problems: impl Iterator<Item = &'a Problem>) -> Vec<&'a Problem> {
    let mut out: Vec<&Problem> = Vec::new();
    for p in problems {
        if !out.iter().any(|q| q.code == p.code) {
            out.push(p);
        }
    }
    out
}

/// One line: each refusing code once, with its first message, and the flags that allow them.
fn refusal_message(refused: &[&Problem]) -> String {
    let mut parts = Vec::new();
    let mut flags: Vec<&str> = Vec::new();
    let mut unflagged = false;
    for p in first_of_each_code(refused.iter().copied()) {
        parts.push(format!("{} ({})", p.code, p.message));
        match flag(Allowance::for_code(p.code)) {
            Some(f) if !flags.contains(&f) => flags.push(f),
            Some(_) => {}
            None => unflagged = true,
        }
    }
    let remedy = if unflagged {
        "to make a token that fails on purpose, add --break KIND".to_owned()
    } else {
        format!("use {} for fixtures", flags.join(" "))
    };
    format!(
        "the edited token would be refused: {}; {remedy}",
        parts.join("; ")
    )
}

/// What the edits changed, as a note.
fn changes_line(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no member changed: the header and payload are the token's own, signed again"
            .to_owned();
    }
    let each: Vec<String> = changes
        .iter()
        .map(|c| {
            let mut name = String::new();
            crate::json::write::string(&mut name, &c.member);
            format!("{} {name} {}", c.part.as_str(), c.action.as_str())
        })
        .collect();
    format!("edited: {}", each.join(", "))
}

/// The `gen --from --json` object (docs/schema/gen-from.json); with `--break`, `break` is
/// the prediction, as in `gen --break --json`.
fn json(
    made: &Resigned,
    notes: &[String],
    problems: &[Problem],
    prediction: Option<&Prediction>,
) -> serde_json::Value {
    let expires_at = made
        .payload
        .get("exp")
        .and_then(|m| m.value.as_i64())
        .and_then(crate::time::rfc3339);
    let mut v = serde_json::json!({
        "schema": SCHEMA,
        "token": made.token,
        "header": made.header.to_value(),
        "claims": made.payload.to_value(),
        "expires_at": expires_at,
        "changes": made.changes,
        "notes": notes,
        "problems": problems,
    });
    if let Some(p) = prediction {
        v["break"] = serde_json::to_value(p).unwrap_or(serde_json::Value::Null);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::{Code, Source};
    use crate::token::edit::{Action, Part};

    #[test]
    fn a_refusal_names_each_code_once_and_the_flags() {
        let problem = |code, m: &str| Problem::new(code, Source::Server, m);
        let expired = problem(Code::Expired, "exp is past");
        let again = problem(Code::Expired, "again");
        let empty = problem(Code::ClaimEmpty, "sub is empty");
        assert_eq!(
            refusal_message(&[&expired, &again, &empty]),
            "the edited token would be refused: JWT_TOKEN_EXPIRED (exp is past); CLAIM_EMPTY (sub is empty); use --allow-expired --allow-empty for fixtures"
        );
        let missing = problem(Code::StructureInvalid, "jti is missing");
        assert!(
            refusal_message(&[&expired, &missing])
                .ends_with("to make a token that fails on purpose, add --break KIND")
        );
    }

    #[test]
    fn changes_are_one_line() {
        let c = |part, member: &str, action| Change {
            part,
            member: member.into(),
            action,
        };
        assert_eq!(
            changes_line(&[
                c(Part::Header, "kid", Action::Replaced),
                c(Part::Payload, "a\"b", Action::Appended)
            ]),
            r#"edited: header "kid" replaced, payload "a\"b" appended"#
        );
        assert!(changes_line(&[]).starts_with("no member changed"));
    }
}
