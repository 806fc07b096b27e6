//! The audit report for people (one line per user and attempt, the findings, the rules and a
//! summary) and for programs (one JSON object per fetch, then a summary object). Pure.

use super::{Attempt, AuditReport, Outcome, SCHEMA, is_cross_token};
use crate::color::Painter;
use crate::time::human_duration;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The `--json` object for one fetch. `leeway` is the check's, for its report.
pub(crate) fn attempt_json(r: &AuditReport, a: &Attempt, leeway: i64) -> Value {
    let user = r.users.get(a.at.user).cloned().unwrap_or_default();
    let findings: Vec<Value> = match &a.outcome {
        Outcome::Failed(f) => vec![json!({
            "code": "ISSUER_FAILED", "message": f.reason, "source": "audit"
        })],
        Outcome::Judged(j) => j
            .report
            .problems
            .iter()
            .map(|p| json!({"code": p.code.as_str(), "message": p.message, "source": p.source.as_str()}))
            .chain(j.findings.iter().map(
                |f| json!({"code": f.code.as_str(), "message": f.message, "source": "audit"}),
            ))
            .collect(),
    };
    let (token, check, offset, lifetime, hints) = match &a.outcome {
        Outcome::Failed(_) => (
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            json!([]),
        ),
        Outcome::Judged(j) => (
            json!({"origin": j.origin.describe(), "length": j.input.token.len()}),
            serde_json::to_value(crate::token::report::json(
                &j.report,
                &j.input,
                None,
                a.received_at,
                leeway,
            ))
            .unwrap_or(Value::Null),
            json!(j.offset),
            json!(j.lifetime),
            json!(j.hints),
        ),
    };
    json!({
        "schema": SCHEMA,
        "user": user,
        "attempt": a.at.attempt,
        "passed": a.passed(),
        "exit_code": a.exit_code(),
        "issuer": {
            "status": a.status,
            "elapsed_ms": a.elapsed.as_millis() as u64,
            "received_at": a.received_at,
        },
        "token": token,
        "clock_offset_s": offset,
        "lifetime_s": lifetime,
        "check": check,
        "findings": findings,
        "hints": hints,
    })
}

/// The `--json` summary object, last.
pub(crate) fn summary_json(r: &AuditReport) -> Value {
    let rules: Vec<Value> = r
        .rules
        .iter()
        .map(|rule| {
            json!({
                "code": rule.code.as_str(),
                "passed": rule.findings.is_empty(),
                "findings": rule.findings.iter().map(|f| json!({
                    "message": f.message,
                    "attempts": f.attempts.iter().map(|at| json!({
                        "user": r.users.get(at.user),
                        "attempt": at.attempt,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let s = Stats::of(r);
    let range = |v: &[i64]| match (v.iter().min(), v.iter().max()) {
        (Some(a), Some(b)) => json!({"min": a, "max": b}),
        _ => Value::Null,
    };
    json!({"summary": {
        "schema": SCHEMA,
        "issuer": r.issuer,
        "users": r.users.len(),
        "repeat": r.repeat,
        "concurrency": r.concurrency,
        "attempts": r.attempts.len(),
        "tokens": s.tokens,
        "passed": s.passed,
        "failed": r.attempts.len() - s.passed,
        "issuer_failed": r.attempts.len() - s.tokens,
        "unreachable": r.unreachable(),
        "by_code": s.by_code,
        "warnings_by_code": s.warnings_by_code,
        "rules": rules,
        "clock_offset_s": range(&s.offsets),
        "lifetime_s": range(&s.lifetimes),
        "limits": {
            "max_skew_s": r.limits.max_skew,
            "min_lifetime_s": r.limits.min_lifetime,
            "max_lifetime_s": r.limits.max_lifetime,
        },
        "started_at": r.started_at,
        "elapsed_ms": r.elapsed.as_millis() as u64,
        "exit_code": r.exit_code(),
    }})
}

struct Stats {
    tokens: usize,
    passed: usize,
    offsets: Vec<i64>,
    lifetimes: Vec<i64>,
    /// How many fetches carry each code.
    by_code: BTreeMap<&'static str, usize>,
    /// How many tokens carry each warning code of the check.
    warnings_by_code: BTreeMap<&'static str, usize>,
}

impl Stats {
    fn of(r: &AuditReport) -> Stats {
        let mut by_code: BTreeMap<&'static str, usize> = BTreeMap::new();
        for a in &r.attempts {
            let mut seen: Vec<&str> = Vec::new();
            for (c, _) in a.codes() {
                if !seen.contains(&c.as_str()) {
                    seen.push(c.as_str());
                    *by_code.entry(c.as_str()).or_default() += 1;
                }
            }
        }
        let judged = || r.attempts.iter().filter_map(Attempt::judged);
        let mut warnings_by_code: BTreeMap<&'static str, usize> = BTreeMap::new();
        for j in judged() {
            let mut seen = Vec::new();
            for w in &j.report.warnings {
                if !seen.contains(&w.code) {
                    seen.push(w.code);
                    *warnings_by_code.entry(w.code.as_str()).or_default() += 1;
                }
            }
        }
        Stats {
            tokens: judged().count(),
            passed: r.attempts.iter().filter(|a| a.passed()).count(),
            offsets: judged().filter_map(|j| j.offset).collect(),
            lifetimes: judged().filter_map(|j| j.lifetime).collect(),
            by_code,
            warnings_by_code,
        }
    }
}

/// Every finding of a fetch with the layer that found it (the SDKs can both refuse a token
/// that the server refuses too: the source tells the lines apart).
fn sourced(a: &Attempt) -> Vec<(&'static str, &'static str, &str)> {
    match &a.outcome {
        Outcome::Failed(f) => vec![("ISSUER_FAILED", "audit", f.reason.as_str())],
        Outcome::Judged(j) => j
            .report
            .problems
            .iter()
            .map(|p| (p.code.as_str(), p.source.as_str(), p.message.as_str()))
            .chain(
                j.findings
                    .iter()
                    .map(|f| (f.code.as_str(), "audit", f.message.as_str())),
            )
            .collect(),
    }
}

/// The distinct codes of a fetch, in order.
fn code_list(a: &Attempt) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    for (c, _) in a.codes() {
        if !v.contains(&c.as_str()) {
            v.push(c.as_str());
        }
    }
    v
}

fn pad(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(n)))
}

fn span(v: &[i64], show: fn(i64) -> String) -> Option<String> {
    let (a, b) = (v.iter().min()?, v.iter().max()?);
    Some(if a == b {
        show(*a)
    } else {
        format!("{} to {}", show(*a), show(*b))
    })
}

fn seconds(s: i64) -> String {
    format!("{s:+} s")
}

fn lifetime(s: i64) -> String {
    if s < 0 {
        format!("-{}", human_duration(s.unsigned_abs()))
    } else {
        human_duration(s.unsigned_abs())
    }
}

/// The human report.
pub(crate) fn text(r: &AuditReport, p: Painter) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {} · {} user{} × {} attempt{} · {} at a time",
        p.label("audit   "),
        r.issuer,
        r.users.len(),
        if r.users.len() == 1 { "" } else { "s" },
        r.repeat,
        if r.repeat == 1 { "" } else { "s" },
        r.concurrency
    );
    let width = r
        .attempts
        .iter()
        .map(|a| r.label(a.at).chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for a in &r.attempts {
        let label = pad(&r.label(a.at), width);
        let status = a
            .status
            .map_or_else(|| "   ".to_string(), |s| s.to_string());
        let ms = format!("{:>5} ms", a.elapsed.as_millis());
        let line = if a.passed() {
            let j = a.judged();
            let offset = j
                .and_then(|j| j.offset)
                .map(|o| format!("  offset {}", seconds(o)))
                .unwrap_or_default();
            let life = j
                .and_then(|j| j.lifetime)
                .map(|l| format!("  lifetime {}", lifetime(l)))
                .unwrap_or_default();
            format!("  {}  {label}  {status} {ms}{offset}{life}", p.ok("ok  "))
        } else {
            format!(
                "  {}  {label}  {status} {ms}  {}",
                p.bad("FAIL"),
                p.bad(&code_list(a).join(", "))
            )
        };
        let _ = writeln!(o, "{}", line.trim_end());
    }

    let failing: Vec<&Attempt> = r.attempts.iter().filter(|a| !a.passed()).collect();
    let cross: Vec<&super::Finding> = r
        .rules
        .iter()
        .filter(|rule| is_cross_token(rule.code))
        .flat_map(|rule| &rule.findings)
        .collect();
    let noted = |a: &Attempt| {
        a.judged()
            .is_some_and(|j| !j.hints.is_empty() || !j.report.warnings.is_empty())
    };
    if !failing.is_empty() || !cross.is_empty() || r.attempts.iter().any(noted) {
        let _ = writeln!(o, "{}", p.label("findings"));
        for a in &r.attempts {
            if a.passed() && !noted(a) {
                continue;
            }
            let _ = writeln!(o, "  {}", r.label(a.at));
            for (code, source, message) in sourced(a) {
                let _ = writeln!(o, "    {} {source}: {message}", p.bad(code));
            }
            if let Some(j) = a.judged() {
                for w in &j.report.warnings {
                    let _ = writeln!(o, "    {} {}: {}", p.warn("warning"), w.code, w.message);
                }
                for h in &j.hints {
                    let _ = writeln!(o, "    {} {h}", p.warn("hint"));
                }
            }
        }
        for f in cross {
            let _ = writeln!(o, "  {} {}", p.bad(f.code.as_str()), f.message);
        }
    }

    let rules: Vec<String> = r
        .rules
        .iter()
        .map(|rule| {
            if rule.findings.is_empty() {
                format!("{} {}", p.ok("ok"), rule.code.as_str())
            } else {
                format!("{} {}", p.bad("FAIL"), rule.code.as_str())
            }
        })
        .collect();
    let _ = writeln!(o, "{} {}", p.label("rules   "), rules.join(" · "));

    let s = Stats::of(r);
    let mut summary = format!(
        "{} fetch{}: {} passed, {} failed",
        r.attempts.len(),
        if r.attempts.len() == 1 { "" } else { "es" },
        s.passed,
        r.attempts.len() - s.passed
    );
    if s.tokens < r.attempts.len() {
        let _ = write!(
            summary,
            " ({} without a token)",
            r.attempts.len() - s.tokens
        );
    }
    if let Some(off) = span(&s.offsets, seconds) {
        let _ = write!(summary, " · clock offset {off}");
    }
    if let Some(l) = span(&s.lifetimes, lifetime) {
        let _ = write!(summary, " · lifetime {l}");
    }
    let _ = write!(summary, " · {:.2} s", r.elapsed.as_secs_f64());
    let _ = writeln!(o, "{} {summary}", p.label("summary "));

    let exit = r.exit_code();
    let verdict = if exit == 0 {
        p.ok("PASS")
    } else if r.unreachable() {
        format!(
            "{} (exit {exit}): the issuer could not be reached",
            p.bad("FAIL")
        )
    } else {
        let mut codes: Vec<&str> = s.by_code.keys().copied().collect();
        for rule in &r.rules {
            if !rule.findings.is_empty() && !codes.contains(&rule.code.as_str()) {
                codes.push(rule.code.as_str());
            }
        }
        format!("{} (exit {exit}): {}", p.bad("FAIL"), codes.join(", "))
    };
    let _ = writeln!(o, "{} {verdict}", p.label("verdict "));
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_objects_carry_the_findings_and_the_rules() {
        let r = super::super::sample_report();
        let nfd = attempt_json(&r, &r.attempts[2], 0);
        assert_eq!(nfd["user"], "\u{17d}eljko");
        assert_eq!(nfd["attempt"], 1);
        assert_eq!(nfd["passed"], false);
        assert_eq!(nfd["exit_code"], 13);
        assert_eq!(nfd["token"]["origin"], "text");
        assert_eq!(nfd["findings"][0]["code"], "SUB_MISMATCH");
        assert_eq!(nfd["findings"][0]["source"], "expectation");
        assert_eq!(nfd["check"]["schema"], crate::token::report::SCHEMA);
        let failed = attempt_json(&r, &r.attempts[3], 0);
        assert_eq!(failed["issuer"]["status"], 500);
        assert_eq!(failed["check"], Value::Null);
        assert_eq!(failed["findings"][0]["source"], "audit");
        let s = &summary_json(&r)["summary"];
        assert_eq!(s["attempts"], 4);
        assert_eq!(s["tokens"], 3);
        assert_eq!(s["passed"], 2);
        assert_eq!(s["issuer_failed"], 1);
        assert_eq!(s["by_code"], json!({"ISSUER_FAILED": 1, "SUB_MISMATCH": 1}));
        assert_eq!(s["rules"][0]["code"], "JTI_REUSED");
        assert_eq!(s["rules"][0]["passed"], false);
        assert_eq!(
            s["rules"][0]["findings"][0]["attempts"],
            json!([{"user": "alice", "attempt": 1}, {"user": "alice", "attempt": 2}])
        );
        assert_eq!(s["clock_offset_s"], json!({"min": -1, "max": 0}));
        assert_eq!(s["exit_code"], 13);
    }

    #[test]
    fn text_snapshot() {
        let r = super::super::sample_report();
        let got = text(&r, Painter::plain());
        let want = r#"audit    GET http://127.0.0.1:3000/token?… · 2 users × 2 attempts · 4 at a time
  ok    alice #1   200    12 ms  offset +0 s  lifetime 15m
  ok    alice #2   200    12 ms  offset -1 s  lifetime 15m
  FAIL  Željko #1  200    12 ms  SUB_MISMATCH
  FAIL  Željko #2  500     3 ms  ISSUER_FAILED
findings
  Željko #1
    SUB_MISMATCH expectation: sub is "{NFD}eljko" but "Željko" was expected; they differ only by Unicode normalisation (the requested id is NFC, the token's sub is NFD; as code points "\u{17d}eljko" and "Z\u{30c}eljko"): the server compares bytes, so sign the id exactly as the app has it
  Željko #2
    ISSUER_FAILED audit: HTTP 500 Internal Server Error; the body is 4 bytes: "boom"
  JTI_REUSED jti "jti-a" is in 2 tokens: alice #1, alice #2 (the very same token each time: does the issuer cache tokens?)
rules    FAIL JTI_REUSED · ok CLOCK_SKEW · ok LIFETIME_TOO_SHORT · ok LIFETIME_TOO_LONG · ok LIFETIME_INCONSISTENT · ok KID_INCONSISTENT · FAIL ISSUER_FAILED
summary  4 fetches: 2 passed, 2 failed (1 without a token) · clock offset -1 s to +0 s · lifetime 15m · 1.23 s
verdict  FAIL (exit 13): ISSUER_FAILED, SUB_MISMATCH, JTI_REUSED
"#
        .replace("{NFD}", "Z\u{30c}");
        assert_eq!(got, want, "\n{got}");
    }
}
