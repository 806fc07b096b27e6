//! Judging what the issuer gave back, pure: the token is found in each answer and judged
//! exactly as found by the check core (both SDKs, every server rule, the signature, the
//! expectations: `sub` is the requested id byte for byte), then the audit's own rules run:
//! clock skew and lifetime bounds per token, and reuse and consistency across tokens.

use super::extract::{self, Extracted};
use super::issuer::{Fetch, printable};
use super::{Attempt, AttemptRef, AuditReport, Finding, Judged, Limits, Outcome, Rule};
use crate::problem::{AuditCode, Code};
use crate::time::human_duration;
use crate::token::Input;
use crate::token::check::{self, Expectations};
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization as _;

/// How to judge every token of an audit. `check.now` is replaced per token by the moment its
/// answer arrived, and `check.expect.sub` by the user id asked for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options<'a> {
    pub check: check::Options<'a>,
    pub limits: Limits,
    pub pointer: Option<&'a str>,
}

/// Judges one fetch of `user` (index `at.user`).
pub(crate) fn judge(user: &str, at: AttemptRef, fetch: Fetch, opts: &Options<'_>) -> Attempt {
    let (status, outcome) = match fetch.result {
        Err(f) => (f.status, Outcome::Failed(f)),
        Ok(answer) => {
            match extract::extract(&answer.body, answer.content_type.as_deref(), opts.pointer) {
                Err(reason) => (
                    answer.status,
                    Outcome::Failed(super::issuer::Failure {
                        reason: format!("no token in the answer: {reason}"),
                        unreachable: false,
                        status: answer.status,
                    }),
                ),
                Ok(found) => (
                    answer.status,
                    Outcome::Judged(Box::new(judge_token(user, found, fetch.received_at, opts))),
                ),
            }
        }
    };
    Attempt {
        at,
        elapsed: fetch.elapsed,
        received_at: fetch.received_at,
        status,
        outcome,
    }
}

/// One token, judged at `now` (this machine's clock when it arrived).
pub(crate) fn judge_token(user: &str, found: Extracted, now: i64, opts: &Options<'_>) -> Judged {
    let mut copts = opts.check;
    copts.now = now;
    copts.expect = Expectations {
        sub: Some(user),
        ..opts.check.expect
    };
    let mut report = check::check(&found.token, &copts);
    let claim = |name: &str| report.claims.as_ref().and_then(|c| c.get(name)).cloned();
    let iat = claim("iat").and_then(|v| v.as_i64());
    let exp = claim("exp").and_then(|v| v.as_i64());
    let sub = claim("sub").and_then(|v| v.as_str().map(str::to_string));
    if let Some(sub) = &sub
        && let Some(why) = sub_difference(user, sub)
    {
        for p in &mut report.problems {
            if p.code == Code::SubMismatch {
                p.message = format!("{}; {why}", p.message);
            }
        }
    }
    let hints = token_hints(&found.token);
    let offset = iat.map(|t| t.saturating_sub(now));
    let lifetime = match (iat, exp) {
        (Some(i), Some(e)) => Some(e.saturating_sub(i)),
        _ => None,
    };
    let mut findings = Vec::new();
    if let Some(off) = offset
        && off.unsigned_abs() > opts.limits.max_skew.unsigned_abs()
    {
        let direction = if off > 0 { "ahead of" } else { "behind" };
        findings.push(Finding {
            code: AuditCode::ClockSkew,
            message: format!(
                "iat is {} {direction} this machine's clock at the response (offset {off:+} s; --max-skew {})",
                human_duration(off.unsigned_abs()),
                human_duration(opts.limits.max_skew.unsigned_abs())
            ),
            attempts: Vec::new(),
        });
    }
    if let Some(l) = lifetime {
        if l < opts.limits.min_lifetime {
            findings.push(Finding {
                code: AuditCode::LifetimeTooShort,
                message: format!(
                    "the lifetime (exp - iat) is {}, under --min-lifetime {}: the token can expire between the SDK's check and the server's",
                    signed_duration(l),
                    human_duration(opts.limits.min_lifetime.unsigned_abs())
                ),
                attempts: Vec::new(),
            });
        } else if l > opts.limits.max_lifetime {
            findings.push(Finding {
                code: AuditCode::LifetimeTooLong,
                message: format!(
                    "the lifetime (exp - iat) is {}, over --max-lifetime {}",
                    human_duration(l.unsigned_abs()),
                    human_duration(opts.limits.max_lifetime.unsigned_abs())
                ),
                attempts: Vec::new(),
            });
        }
    }
    Judged {
        input: Input {
            token: found.token,
            notes: Vec::new(),
        },
        origin: found.origin,
        report,
        offset,
        lifetime,
        findings,
        hints,
    }
}

fn signed_duration(secs: i64) -> String {
    if secs < 0 {
        format!("-{}", human_duration(secs.unsigned_abs()))
    } else {
        human_duration(secs.unsigned_abs())
    }
}

/// Why `sub` differs from the requested id, when the difference is one issuers typically
/// make; `None` when they are equal or differ in substance.
pub(crate) fn sub_difference(requested: &str, sub: &str) -> Option<String> {
    if requested == sub {
        return None;
    }
    let nfc = |s: &str| s.nfc().collect::<String>();
    let form = |s: &str| {
        if s.nfc().eq(s.chars()) {
            "NFC"
        } else if s.nfd().eq(s.chars()) {
            "NFD"
        } else {
            "neither NFC nor NFD"
        }
    };
    if nfc(requested) == nfc(sub) {
        return Some(format!(
            "they differ only by Unicode normalisation (the requested id is {}, the token's sub is {}; as code points {} and {}): the server compares bytes, so sign the id exactly as the app has it",
            form(requested),
            form(sub),
            code_points(requested),
            code_points(sub)
        ));
    }
    if requested.trim() == sub.trim() {
        return Some("they differ only by surrounding whitespace: the issuer trims (or pads) the id; the server compares bytes".into());
    }
    if nfc(requested.trim()) == nfc(sub.trim()) {
        return Some("they differ only by surrounding whitespace and Unicode normalisation: the server compares bytes".into());
    }
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if squash(&nfc(requested)) == squash(&nfc(sub)) {
        return Some("they differ only in whitespace (inner spaces collapsed or changed): the server compares bytes".into());
    }
    if requested.nfkc().eq(sub.nfkc()) {
        return Some(
            "they differ only by Unicode compatibility forms (NFKC): the server compares bytes"
                .into(),
        );
    }
    if requested.replace('+', " ") == sub {
        return Some("the token's sub has spaces where the id has '+': the issuer decoded the query as a form ('+' means space there); percent-encode '+' or read the raw value".into());
    }
    if super::template::percent_encode(requested) == sub {
        return Some(
            "the token's sub is the id still percent-encoded: the issuer did not decode the query"
                .into(),
        );
    }
    if requested.to_lowercase() == sub.to_lowercase() {
        return Some("they differ only in letter case: the server compares bytes".into());
    }
    None
}

/// `"Z\u{30c}eljko"`: non-ASCII characters spelled out, so look-alikes can be told apart.
fn code_points(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars().take(40) {
        if c.is_ascii() && !c.is_ascii_control() {
            out.push(c);
        } else {
            out.push_str(&c.escape_unicode().to_string());
        }
    }
    out.push('"');
    out
}

/// Diagnoses of the token's text that explain why the SDKs would refuse it (the check's own
/// coded warnings cover the claims: milliseconds, the secret used as text, short lifetimes).
fn token_hints(token: &str) -> Vec<String> {
    let mut hints = Vec::new();
    let bare = token.trim();
    if bare.len() >= 7 && bare[..7].eq_ignore_ascii_case("bearer ") {
        hints.push("the answer carries 'Bearer ' before the token: return the bare token (the SDK adds the scheme itself), or the app must strip it".into());
    }
    if bare.len() != token.len() {
        hints.push("the token has surrounding whitespace, which neither SDK removes".into());
    }
    if bare.len() >= 2 && bare.starts_with('"') && bare.ends_with('"') {
        hints.push(
            "the token is wrapped in double quotes: a JSON string sent as plain text?".into(),
        );
    }
    hints
}

/// Sorts the fetches and runs every rule over them, filling `r.rules`.
pub(crate) fn apply_rules(r: &mut AuditReport) {
    r.attempts.sort_by_key(|a| a.at);
    let mut rules: Vec<Rule> = AuditCode::ALL
        .iter()
        .map(|&code| Rule {
            code,
            findings: Vec::new(),
        })
        .collect();
    // The per-token rules: each finding again, with the fetch it belongs to.
    for a in &r.attempts {
        let found: Vec<(AuditCode, String)> = match &a.outcome {
            Outcome::Failed(f) => vec![(AuditCode::IssuerFailed, f.reason.clone())],
            Outcome::Judged(j) => j
                .findings
                .iter()
                .map(|f| (f.code, f.message.clone()))
                .collect(),
        };
        for (code, message) in found {
            if let Some(rule) = rules.iter_mut().find(|x| x.code == code) {
                rule.findings.push(Finding {
                    code,
                    message: format!("{}: {message}", r.label(a.at)),
                    attempts: vec![a.at],
                });
            }
        }
    }
    for f in cross_token(r) {
        if let Some(rule) = rules.iter_mut().find(|x| x.code == f.code) {
            rule.findings.push(f);
        }
    }
    r.rules = rules;
}

/// JTI_REUSED, LIFETIME_INCONSISTENT and KID_INCONSISTENT.
fn cross_token(r: &AuditReport) -> Vec<Finding> {
    let mut out = Vec::new();
    let judged: Vec<(AttemptRef, &Judged)> = r
        .attempts
        .iter()
        .filter_map(|a| a.judged().map(|j| (a.at, j)))
        .collect();
    let string_of = |members: Option<&crate::json::Members>, name: &str| {
        members
            .and_then(|m| m.get(name))
            .and_then(|v| v.as_str().map(str::to_string))
    };

    let mut by_jti: BTreeMap<String, Vec<(AttemptRef, &str)>> = BTreeMap::new();
    for (at, j) in &judged {
        if let Some(jti) = string_of(j.report.claims.as_ref(), "jti") {
            by_jti.entry(jti).or_default().push((*at, &j.input.token));
        }
    }
    for (jti, uses) in by_jti.iter().filter(|(_, u)| u.len() > 1) {
        let labels: Vec<String> = uses.iter().take(6).map(|(at, _)| r.label(*at)).collect();
        let more = if uses.len() > 6 {
            format!(" and {} more", uses.len() - 6)
        } else {
            String::new()
        };
        let same = if uses.iter().all(|(_, t)| *t == uses[0].1) {
            " (the very same token each time: does the issuer cache tokens?)"
        } else {
            ""
        };
        out.push(Finding {
            code: AuditCode::JtiReused,
            message: format!(
                "jti \"{}\" is in {} tokens: {}{more}{same}",
                printable(jti, 40),
                uses.len(),
                labels.join(", ")
            ),
            attempts: uses.iter().map(|(at, _)| *at).collect(),
        });
    }

    let lifetimes: Vec<(AttemptRef, i64)> = judged
        .iter()
        .filter_map(|(at, j)| j.lifetime.map(|l| (*at, l)))
        .collect();
    if let (Some(min), Some(max)) = (
        lifetimes.iter().map(|(_, l)| *l).min(),
        lifetimes.iter().map(|(_, l)| *l).max(),
    ) && max - min > 1
    {
        let (common, summary) = tally(lifetimes.iter().map(|(_, l)| format!("{l} s")));
        out.push(Finding {
            code: AuditCode::LifetimeInconsistent,
            message: format!(
                "the lifetimes (exp - iat) range from {} to {}: {summary}",
                signed_duration(min),
                signed_duration(max)
            ),
            attempts: lifetimes
                .iter()
                .filter(|(_, l)| format!("{l} s") != common)
                .map(|(at, _)| *at)
                .collect(),
        });
    }

    let kids: Vec<(AttemptRef, String)> = judged
        .iter()
        .filter_map(|(at, j)| string_of(j.report.header.as_ref(), "kid").map(|k| (*at, k)))
        .collect();
    let (common, summary) = tally(
        kids.iter()
            .map(|(_, k)| format!("\"{}\"", printable(k, 40))),
    );
    let distinct: std::collections::BTreeSet<&String> = kids.iter().map(|(_, k)| k).collect();
    if distinct.len() > 1 {
        out.push(Finding {
            code: AuditCode::KidInconsistent,
            message: format!("the tokens carry {} kids: {summary}", distinct.len()),
            attempts: kids
                .iter()
                .filter(|(_, k)| format!("\"{}\"", printable(k, 40)) != common)
                .map(|(at, _)| *at)
                .collect(),
        });
    }
    out
}

/// The most common value, and "V in N tokens, W in M" (most common first, at most five).
fn tally(values: impl Iterator<Item = String>) -> (String, String) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    let mut sorted: Vec<(String, usize)> = counts.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let common = sorted.first().map(|(v, _)| v.clone()).unwrap_or_default();
    let mut parts: Vec<String> = sorted
        .iter()
        .take(5)
        .map(|(v, n)| format!("{v} in {n} token{}", if *n == 1 { "" } else { "s" }))
        .collect();
    if sorted.len() > 5 {
        parts.push(format!("{} more values", sorted.len() - 5));
    }
    (common, parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_differences_that_issuers_make_are_named() {
        let nfc = "\u{17d}eljko";
        let nfd = "Z\u{30c}eljko";
        let why = sub_difference(nfc, nfd).unwrap();
        assert!(why.contains("Unicode normalisation"), "{why}");
        assert!(
            why.contains("requested id is NFC, the token's sub is NFD"),
            "{why}"
        );
        assert!(
            sub_difference("alice", " alice")
                .unwrap()
                .contains("surrounding whitespace")
        );
        assert!(
            sub_difference("first middle  last", "first middle last")
                .unwrap()
                .contains("inner spaces")
        );
        assert!(
            sub_difference("plus+sign", "plus sign")
                .unwrap()
                .contains("form")
        );
        assert!(
            sub_difference("a/b", "a%2Fb")
                .unwrap()
                .contains("percent-encoded")
        );
        assert!(
            sub_difference("Alice", "alice")
                .unwrap()
                .contains("letter case")
        );
        assert!(sub_difference("\u{fb01}x", "fix").unwrap().contains("NFKC"));
        assert_eq!(sub_difference("alice", "bob"), None);
        assert_eq!(sub_difference("alice", "alice"), None);
    }

    #[test]
    fn token_text_hints() {
        let h = token_hints("Bearer a.b.c");
        assert_eq!(h.len(), 1);
        assert!(h[0].contains("'Bearer '"));
        let h = token_hints(" a.b.c\n");
        assert_eq!(h.len(), 1);
        assert!(h[0].contains("whitespace"), "{h:?}");
        assert!(token_hints("\"a.b.c\"")[0].contains("double quotes"));
        assert!(token_hints("a.b.c").is_empty());
    }

    #[test]
    fn tallies_put_the_common_value_first() {
        let (common, s) = tally(["b", "a", "b"].iter().map(ToString::to_string));
        assert_eq!(common, "b");
        assert_eq!(s, "b in 2 tokens, a in 1 token");
    }
}
