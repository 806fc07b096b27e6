//! The exit-code table (the one source for the constants, `--help`, the README and the problem
//! codes' exits), errors that carry their exit code and a stable [`ErrorKind`], and how the
//! codes of several results are merged.
//!
//! Commands return `anyhow::Result<u8>`; anything that is not a [`CliError`] is a runtime
//! failure (exit 1). Messages never contain secrets or tokens.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

macro_rules! exit_codes {
    ($($name:ident = $code:literal: $meaning:literal;)*) => {
        /// The exit codes of the whole tool, by name.
        pub mod exit {
            $(#[doc = $meaning] pub const $name: u8 = $code;)*
        }

        /// Every exit code with what it means, in the order `--help` and the README list
        /// them. A test holds the README's table to this one.
        pub const EXIT_CODES: &[(u8, &str)] = &[$(($code, $meaning),)*];
    };
}

exit_codes! {
    OK = 0: "success (token valid; HTTP 2xx for replay; every audit check passed)";
    RUNTIME = 1: "runtime error (I/O, unreadable or malformed secret, bad input line)";
    USAGE = 2: "usage error (bad or missing arguments or configuration)";
    HTTP_3XX = 3: "replay: HTTP 3xx (redirects are not followed)";
    HTTP_4XX = 4: "replay: HTTP 4xx";
    HTTP_5XX = 5: "replay: HTTP 5xx";
    NETWORK = 6: "replay, audit: network failure (refused, timeout, TLS; audit: the issuer cannot be reached at all)";
    SDK_STRUCTURE = 10: "an SDK would refuse the token as JWT_TOKEN_STRUCTURE_INVALID (or the server finds it malformed)";
    SDK_EXPIRED = 11: "the token is expired (JWT_TOKEN_EXPIRED)";
    SIGNATURE = 12: "the signature is invalid";
    SERVER_REJECT = 13: "the server would reject a header, claim, expectation or encoding";
    NOT_VERIFIED = 14: "the signature was not verified and --require-signature was given";
    USER_DATA = 15: "an SDK would refuse the call's user data before sending";
    INTERNAL = 101: "internal error (a bug; the report names the place, never a value)";
}

/// How the exit codes of several results (problems, tokens, lines, calls) become one, said once
/// here and in the README; `--help` ends with it.
pub const MERGE_RULE: &str = "Several results give one code. Judgements (check, gen, audit): the lowest non-zero \
code wins, so within one token the most basic fault comes first (structure, expiry, signature, the rest) and a \
runtime or usage error outranks every verdict. Calls (replay --users): the highest code wins, the call that got \
furthest from a 2xx (a user-data refusal, which the SDKs make before they look at the token, then a token \
refusal, then a network failure, then 5xx, 4xx, 3xx).";

/// The two ways results are merged (see [`MERGE_RULE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// check, gen, audit: the lowest non-zero code.
    Judgement,
    /// replay batches: the highest code.
    Calls,
}

impl Merge {
    pub fn merge(self, a: u8, b: u8) -> u8 {
        match self {
            Merge::Judgement => merge_exit(a, b),
            Merge::Calls => a.max(b),
        }
    }
}

/// The exit-code table as shown after `--help`.
pub fn exit_table() -> String {
    use fmt::Write as _;
    // Meanings wrap under themselves: clap wraps help at 100 columns without a hanging indent.
    const WIDTH: usize = 98;
    const INDENT: &str = "      ";
    let mut s = String::from("Exit codes:\n");
    for (code, meaning) in EXIT_CODES {
        let mut line = format!("  {code:<3} ");
        for word in meaning.split(' ') {
            if line.len() + word.len() > WIDTH && line.len() > INDENT.len() {
                let _ = writeln!(s, "{}", line.trim_end());
                line = INDENT.to_string();
            }
            line.push_str(word);
            line.push(' ');
        }
        let _ = writeln!(s, "{}", line.trim_end());
    }
    s.push_str(MERGE_RULE);
    s
}

/// [`Merge::Judgement`]: the lowest non-zero code wins (0 only when both are 0).
pub fn merge_exit(a: u8, b: u8) -> u8 {
    match (a, b) {
        (0, x) | (x, 0) => x,
        (x, y) => x.min(y),
    }
}

/// The `kind` of a JSON error object: a stable name per class of failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorKind {
    /// Bad or missing arguments (exit 2).
    Usage,
    /// A secret that cannot be read or is not hex.
    Secret,
    /// A file or standard input that cannot be read or written.
    Io,
    /// The sandbox's state file.
    State,
    /// The sandbox cannot start (address in use, bad configuration).
    Sandbox,
    /// Signal handlers cannot be installed.
    Signal,
    /// The operating system gave no randomness.
    Random,
    /// The HTTP client cannot be set up.
    Http,
    /// Something that should not happen (a thread that died).
    Internal,
    /// Any other failure.
    Runtime,
}

impl ErrorKind {
    /// Every kind, in documentation order.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::Usage,
        ErrorKind::Secret,
        ErrorKind::Io,
        ErrorKind::State,
        ErrorKind::Sandbox,
        ErrorKind::Signal,
        ErrorKind::Random,
        ErrorKind::Http,
        ErrorKind::Internal,
        ErrorKind::Runtime,
    ];

    /// The name in `{"error": {"kind": ...}}`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Usage => "usage",
            ErrorKind::Secret => "secret",
            ErrorKind::Io => "io",
            ErrorKind::State => "state",
            ErrorKind::Sandbox => "sandbox",
            ErrorKind::Signal => "signal",
            ErrorKind::Random => "random",
            ErrorKind::Http => "http",
            ErrorKind::Internal => "internal",
            ErrorKind::Runtime => "runtime",
        }
    }
}

/// An error with a known exit code and a stable kind for `--json`.
#[derive(Debug)]
pub struct CliError {
    pub exit: u8,
    pub kind: ErrorKind,
    pub message: String,
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// A usage error (exit 2): arguments that clap could not refuse by itself.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    with_exit(exit::USAGE, ErrorKind::Usage, message)
}

/// A runtime error (exit 1) with a stable kind.
pub fn runtime(kind: ErrorKind, message: impl Into<String>) -> anyhow::Error {
    with_exit(exit::RUNTIME, kind, message)
}

/// An error with any exit code.
pub fn with_exit(exit: u8, kind: ErrorKind, message: impl Into<String>) -> anyhow::Error {
    CliError {
        exit,
        kind,
        message: message.into(),
    }
    .into()
}

/// The exit code and kind of an error, looking through the chain for a [`CliError`].
pub fn classify(err: &anyhow::Error) -> (u8, ErrorKind) {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<CliError>() {
            return (e.exit, e.kind);
        }
    }
    (exit::RUNTIME, ErrorKind::Runtime)
}

/// True when the error is a closed pipe on stdout (`mmjwt gen ... | head -1`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// A message as people read it: std's I/O errors end in ` (os error N)`, noise for everyone but
/// the kernel, so every place that shows an error to a person (the error line, the sandbox's
/// answer) passes it through here instead of each call site trimming its own.
pub fn for_people(message: &str) -> Cow<'_, str> {
    const MARK: &str = " (os error ";
    if !message.contains(MARK) {
        return Cow::Borrowed(message);
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(MARK) {
        out.push_str(&rest[..i]);
        let after = &rest[i + MARK.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(')') {
            rest = &after[digits + 1..];
        } else {
            out.push_str(MARK);
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_error_numbers_are_dropped_wherever_they_stand() {
        assert_eq!(
            for_people("cannot read x: No such file or directory (os error 2)"),
            "cannot read x: No such file or directory"
        );
        assert_eq!(
            for_people("a (os error 13): b (os error 2)"),
            "a: b",
            "every occurrence in a cause chain"
        );
        assert_eq!(for_people("plain"), "plain");
        assert_eq!(for_people("odd (os error x)"), "odd (os error x)");
    }

    #[test]
    fn the_help_table_lists_every_code_once_in_order() {
        let table = exit_table();
        let mut last = None;
        let unwrapped = table.replace("\n      ", " ");
        for (code, meaning) in EXIT_CODES {
            let row = format!("  {code:<3} {meaning}");
            assert!(unwrapped.contains(&row), "missing row {row}");
            assert!(last < Some(code), "codes out of order at {code}");
            last = Some(code);
        }
        assert!(table.ends_with(MERGE_RULE));
        assert!(
            table
                .lines()
                .all(|l| l.len() <= 98 || l.starts_with("Several")),
            "{table}"
        );
    }

    #[test]
    fn problem_codes_exit_with_codes_from_the_table() {
        for code in crate::problem::Code::ALL {
            let exit = code.exit_code();
            assert!(
                EXIT_CODES.iter().any(|(c, _)| *c == exit),
                "{code} exits {exit}, which is not in the table"
            );
        }
    }

    #[test]
    fn merging_keeps_the_lowest_non_zero_code() {
        assert_eq!(merge_exit(0, 12), 12);
        assert_eq!(merge_exit(11, 12), 11);
        assert_eq!(merge_exit(1, 0), 1);
        assert_eq!(merge_exit(4, 6), 4);
        assert_eq!(merge_exit(0, 0), 0);
        assert_eq!(Merge::Calls.merge(4, 6), 6);
        assert_eq!(Merge::Calls.merge(0, 1), 1);
        assert_eq!(Merge::Judgement.merge(0, 1), 1);
    }
}
