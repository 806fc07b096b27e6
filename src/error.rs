//! Errors that carry their exit code, and the exit-code table itself.
//!
//! Commands return `anyhow::Result<u8>`; anything that is not a [`CliError`] is a runtime
//! failure (exit 1). Messages never contain secrets or tokens.

use std::fmt;

/// The exit codes of the whole tool (the README and `--help` show the same table).
pub mod exit {
    pub const OK: u8 = 0;
    pub const RUNTIME: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const HTTP_3XX: u8 = 3;
    pub const HTTP_4XX: u8 = 4;
    pub const HTTP_5XX: u8 = 5;
    pub const NETWORK: u8 = 6;
    pub const SDK_STRUCTURE: u8 = 10;
    pub const SDK_EXPIRED: u8 = 11;
    pub const SIGNATURE: u8 = 12;
    pub const SERVER_REJECT: u8 = 13;
    pub const NOT_VERIFIED: u8 = 14;
}

/// The exit-code table as shown after `--help`.
pub const EXIT_TABLE: &str = "\
Exit codes:
  0   success (token valid; HTTP 2xx for replay; everything passed for audit)
  1   runtime error (I/O, unreadable or malformed secret, bad input file)
  2   usage error (bad or missing arguments)
  3   replay: HTTP 3xx (redirects are not followed)
  4   replay: HTTP 4xx
  5   replay: HTTP 5xx
  6   replay: network failure (refused, timeout, TLS); audit: the issuer cannot be reached
  10  an SDK would refuse the token as JWT_TOKEN_STRUCTURE_INVALID (or the server finds it malformed)
  11  the token is expired (JWT_TOKEN_EXPIRED)
  12  the signature is invalid
  13  the server would reject a header, claim, expectation or encoding
  14  the signature was not verified and --require-signature was given
  101 internal error (a bug; the report names the place, never a value)
Several failures give the lowest code of 10 and above; several tokens the lowest non-zero code.";

/// An error with a known exit code and a stable kind for `--json`.
#[derive(Debug)]
pub struct CliError {
    pub exit: u8,
    pub kind: &'static str,
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
    CliError {
        exit: exit::USAGE,
        kind: "usage",
        message: message.into(),
    }
    .into()
}

/// A runtime error (exit 1) with a stable kind.
pub fn runtime(kind: &'static str, message: impl Into<String>) -> anyhow::Error {
    CliError {
        exit: exit::RUNTIME,
        kind,
        message: message.into(),
    }
    .into()
}

/// An error with any exit code.
pub fn with_exit(exit: u8, kind: &'static str, message: impl Into<String>) -> anyhow::Error {
    CliError {
        exit,
        kind,
        message: message.into(),
    }
    .into()
}

/// The exit code and kind of an error, looking through the chain for a [`CliError`].
pub fn classify(err: &anyhow::Error) -> (u8, &'static str) {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<CliError>() {
            return (e.exit, e.kind);
        }
    }
    (exit::RUNTIME, "runtime")
}

/// True when the error is a closed pipe on stdout (`mmjwt gen ... | head -1`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
