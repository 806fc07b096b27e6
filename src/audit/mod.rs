//! `mmjwt audit`: judging a token issuer (a backend endpoint or a program) the way the SDKs and
//! the server will judge what it issues, over a battery of user ids and repeated fetches.
//!
//! The layers, each testable alone:
//! - `template`, `users`: the `--url`/`--exec` templates and the user ids (pure).
//! - `issuer`: the only code that talks to the issuer (replay's HTTP client, or a process
//!   run without a shell); outcomes come back as data.
//! - `run`: fetching every user and attempt at bounded concurrency.
//! - `extract` and `judge`: pure; the token found in each answer is judged exactly as found
//!   by the check core, then the cross-token rules run over all of them.
//! - `render` and `junit`: the report as text, JSON lines or JUnit XML.

pub(crate) mod extract;
pub(crate) mod issuer;
pub(crate) mod judge;
pub(crate) mod junit;
pub(crate) mod render;
pub(crate) mod run;
pub(crate) mod template;
pub(crate) mod users;

use crate::problem::{AuditCode, Code};
use crate::token::Input;
use crate::token::check::Report;
use std::time::Duration;

/// Version of the audit `--json` objects and of the JUnit layout; bumped on incompatible change.
pub const SCHEMA: u32 = 1;

/// The bounds the audit rules apply, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_skew: i64,
    pub min_lifetime: i64,
    pub max_lifetime: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_skew: 30,
            min_lifetime: 60,
            max_lifetime: 86_400,
        }
    }
}

/// Which fetch a finding is about: the user's index in the report's list and the attempt (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttemptRef {
    pub user: usize,
    pub attempt: u32,
}

/// One audit finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: AuditCode,
    pub message: String,
    /// The fetches it concerns.
    pub attempts: Vec<AttemptRef>,
}

/// A token that came back and what was found about it.
#[derive(Clone)]
pub struct Judged {
    /// The token exactly as extracted (no notes: nothing was cleaned).
    pub input: Input,
    pub origin: extract::Origin,
    pub report: Report,
    /// `iat` minus this machine's clock at the response, in seconds.
    pub offset: Option<i64>,
    /// `exp - iat`, in seconds.
    pub lifetime: Option<i64>,
    /// The per-token audit findings (clock skew, lifetime bounds).
    pub findings: Vec<Finding>,
    /// Diagnoses of the token's text that explain problems (a `Bearer ` prefix, whitespace,
    /// quotes); the check's coded warnings are in `report.warnings`.
    pub hints: Vec<String>,
}

impl std::fmt::Debug for Judged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Judged")
            .field("token", &format_args!("<{} bytes>", self.input.token.len()))
            .field("origin", &self.origin)
            .field("problems", &self.report.problems)
            .field("offset", &self.offset)
            .field("lifetime", &self.lifetime)
            .field("findings", &self.findings)
            .field("hints", &self.hints)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub enum Outcome {
    /// No token: `ISSUER_FAILED` with this reason.
    Failed(issuer::Failure),
    Judged(Box<Judged>),
}

/// One fetch of one user's token and its judgement.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub at: AttemptRef,
    pub elapsed: Duration,
    pub received_at: i64,
    /// The HTTP status of a usable answer (`None` for `--exec` and failures).
    pub status: Option<u16>,
    pub outcome: Outcome,
}

/// A code as it appears in a line of the report: a check problem or an audit finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyCode {
    Problem(Code),
    Audit(AuditCode),
}

impl AnyCode {
    pub fn as_str(self) -> &'static str {
        match self {
            AnyCode::Problem(c) => c.as_str(),
            AnyCode::Audit(c) => c.as_str(),
        }
    }

    pub fn exit_code(self) -> u8 {
        match self {
            AnyCode::Problem(c) => c.exit_code(),
            AnyCode::Audit(c) => c.exit_code(),
        }
    }
}

impl Attempt {
    /// Every code found for this fetch with its message: check problems first, then audit
    /// findings.
    pub fn codes(&self) -> Vec<(AnyCode, &str)> {
        match &self.outcome {
            Outcome::Failed(f) => {
                vec![(AnyCode::Audit(AuditCode::IssuerFailed), f.reason.as_str())]
            }
            Outcome::Judged(j) => j
                .report
                .problems
                .iter()
                .map(|p| (AnyCode::Problem(p.code), p.message.as_str()))
                .chain(
                    j.findings
                        .iter()
                        .map(|f| (AnyCode::Audit(f.code), f.message.as_str())),
                )
                .collect(),
        }
    }

    pub fn passed(&self) -> bool {
        self.exit_code() == 0
    }

    /// 0, or the lowest exit code among this fetch's codes.
    pub fn exit_code(&self) -> u8 {
        self.codes()
            .iter()
            .map(|(c, _)| c.exit_code())
            .min()
            .unwrap_or(0)
    }

    pub fn judged(&self) -> Option<&Judged> {
        match &self.outcome {
            Outcome::Judged(j) => Some(j),
            Outcome::Failed(_) => None,
        }
    }
}

/// Whether a code is found by comparing tokens with each other (the others are found in one
/// token, or one fetch, alone).
pub fn is_cross_token(code: AuditCode) -> bool {
    matches!(
        code,
        AuditCode::JtiReused | AuditCode::LifetimeInconsistent | AuditCode::KidInconsistent
    )
}

/// One audit rule over all fetches and what it found (nothing: the rule passed).
#[derive(Debug, Clone)]
pub struct Rule {
    pub code: AuditCode,
    pub findings: Vec<Finding>,
}

/// The whole audit, as data; rendered by `render` and `junit`.
#[derive(Debug, Clone)]
pub struct AuditReport {
    /// What the report calls the issuer (`GET http://host/path?…`, `exec node`).
    pub issuer: String,
    pub users: Vec<String>,
    pub repeat: u32,
    pub concurrency: usize,
    /// Sorted by user, then attempt.
    pub attempts: Vec<Attempt>,
    /// One per [`AuditCode`], in documentation order.
    pub rules: Vec<Rule>,
    pub limits: Limits,
    /// Unix seconds when the audit started, and how long it took.
    pub started_at: i64,
    pub elapsed: Duration,
}

impl AuditReport {
    /// True when no fetch reached the issuer at all.
    pub fn unreachable(&self) -> bool {
        !self.attempts.is_empty()
            && self
                .attempts
                .iter()
                .all(|a| matches!(&a.outcome, Outcome::Failed(f) if f.unreachable))
    }

    /// 0 when everything passes; 6 when the issuer could not be reached at all; otherwise the
    /// lowest exit code of 10 and above among the findings.
    pub fn exit_code(&self) -> u8 {
        if self.unreachable() {
            return crate::error::exit::NETWORK;
        }
        let per_token = self
            .attempts
            .iter()
            .map(Attempt::exit_code)
            .filter(|&c| c != 0);
        let rules = self
            .rules
            .iter()
            .filter(|r| !r.findings.is_empty())
            .map(|r| r.code.exit_code());
        per_token.chain(rules).min().unwrap_or(0)
    }

    /// `alice #2`, the id made printable and cut at 32 characters.
    pub fn label(&self, at: AttemptRef) -> String {
        let user = self.users.get(at.user).map_or("?", String::as_str);
        format!("{} #{}", issuer::printable(user, 32), at.attempt)
    }
}

/// A small audit with one of everything, for the renderers' snapshot tests.
#[cfg(test)]
pub(crate) fn sample_report() -> AuditReport {
    use crate::secret::HmacKey;
    use crate::token::mint::{Claims, Minter};
    let key = HmacKey::new(&[7u8; 32]);
    let mut minter = Minter::new("kid-1", key.clone());
    let mut mint = |sub: &str, jti: &str| {
        minter
            .mint(&Claims {
                sub,
                app_code: "app",
                iat: 1_000,
                exp: 1_900,
                jti,
                iss: Some("app"),
                extra: &[],
            })
            .0
    };
    let alice = mint("alice", "jti-a");
    let nfd = mint("Z\u{30c}eljko", "jti-z");
    let opts = judge::Options {
        check: crate::token::check::Options {
            keys: crate::token::check::Keys::Single(&key),
            expect: crate::token::check::Expectations {
                app_code: Some("app"),
                ..Default::default()
            },
            ..crate::token::check::Options::at(0)
        },
        limits: Limits::default(),
        pointer: None,
    };
    let ok = |body: &str, received_at: i64| issuer::Fetch {
        result: Ok(issuer::Answer {
            body: format!("{body}\n").into_bytes(),
            content_type: Some("text/plain".into()),
            status: Some(200),
        }),
        elapsed: Duration::from_millis(12),
        received_at,
    };
    let users = vec!["alice".to_string(), "\u{17d}eljko".to_string()];
    let at = |user, attempt| AttemptRef { user, attempt };
    let attempts = vec![
        judge::judge(&users[0], at(0, 1), ok(&alice, 1_000), &opts),
        judge::judge(&users[0], at(0, 2), ok(&alice, 1_001), &opts),
        judge::judge(&users[1], at(1, 1), ok(&nfd, 1_000), &opts),
        judge::judge(
            &users[1],
            at(1, 2),
            issuer::Fetch {
                result: Err(issuer::Failure {
                    reason: "HTTP 500 Internal Server Error; the body is 4 bytes: \"boom\"".into(),
                    unreachable: false,
                    status: Some(500),
                }),
                elapsed: Duration::from_millis(3),
                received_at: 1_001,
            },
            &opts,
        ),
    ];
    let mut r = AuditReport {
        issuer: "GET http://127.0.0.1:3000/token?…".into(),
        users,
        repeat: 2,
        concurrency: 4,
        attempts,
        rules: Vec::new(),
        limits: Limits::default(),
        started_at: 1_000,
        elapsed: Duration::from_millis(1_234),
    };
    judge::apply_rules(&mut r);
    r
}
