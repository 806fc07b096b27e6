//! The clap types of `mmjwt audit` and its typed value parsers: the issuer templates, headers
//! (`Name: value`), durations and the JSON pointer.

use super::{CredArgs, SdkChoice, SecretArgs};
use crate::audit::template::{ExecTemplate, UrlTemplate};
use clap::{ArgGroup, Args};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

pub const AUDIT_EXAMPLES: &str = "\
Examples:
  mmjwt audit --url 'http://localhost:3000/mm-token?user={user}' --app-code \"$APP\" --key-id \"$KID\" --secret-file key.hex --junit audit.xml
  mmjwt audit --exec 'node scripts/issue-token.js {user}' --secret-file key.hex
  mmjwt audit --url 'https://staging.example/api/users/{user}/mm-jwt' --header \"Authorization: Bearer $STAGING_TOKEN\" --json-pointer /data/jwt
  printf 'alice\\nbob\\n' | mmjwt audit --url 'http://127.0.0.1:3000/t/{user}' --users - --repeat 5 --json";

/// Ask a token issuer (an HTTP endpoint or a program) for tokens for a battery of user ids and
/// judge each one as the SDKs and the server will, then across tokens.
#[derive(Debug, Clone, Args)]
#[command(
    after_help = AUDIT_EXAMPLES,
    group(ArgGroup::new("issuer").required(true).args(["url", "exec"]))
)]
pub struct AuditArgs {
    /// GET this URL per user: {user} becomes the percent-encoded user id. Redirects are not
    /// followed.
    #[arg(long, value_name = "TEMPLATE", value_parser = parse_url)]
    pub url: Option<UrlTemplate>,

    /// Run this program per user, without a shell: {user} in its words becomes the user id
    /// (also in MMJWT_AUDIT_USER); the token is read from its stdout.
    #[arg(long, value_name = "TEMPLATE", value_parser = parse_exec)]
    pub exec: Option<ExecTemplate>,

    /// A header for the backend's own authorization, 'Name: value' (repeatable; with --url).
    /// The value is never printed.
    #[arg(long, value_name = "NAME: VALUE", value_parser = parse_header, conflicts_with = "exec")]
    pub header: Vec<HeaderArg>,

    /// Time allowed per fetch (HTTP exchange or program run): 10s, 500ms, 1m.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_timeout)]
    pub timeout: Duration,

    /// Where the token is in a JSON answer (RFC 6901), e.g. /data/token. Without it the
    /// members token, jwt, accessToken, access_token and userDataJwt are tried.
    #[arg(long, value_name = "POINTER", value_parser = parse_pointer)]
    pub json_pointer: Option<String>,

    /// One user id per line ('-' for standard input) instead of the built-in battery.
    #[arg(long, value_name = "FILE|-")]
    pub users: Option<PathBuf>,

    /// Fetches per user (1-100).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub repeat: u32,

    /// Fetches in flight at once (1-64).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,

    /// CLOCK_SKEW when iat is further than this from this machine's clock, either way.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_seconds)]
    pub max_skew: i64,

    /// LIFETIME_TOO_SHORT below this exp - iat.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_seconds)]
    pub min_lifetime: i64,

    /// LIFETIME_TOO_LONG above this exp - iat.
    #[arg(long, value_name = "DURATION", default_value = "24h", value_parser = parse_seconds)]
    pub max_lifetime: i64,

    /// Clock skew the check allows for exp, nbf and iat (as in mmjwt check). Default 0.
    #[arg(long, value_name = "DURATION", default_value = "0", value_parser = parse_seconds)]
    pub leeway: i64,

    /// Which SDK's client-side validation to emulate.
    #[arg(long, value_enum, default_value_t = SdkChoice::Both, value_name = "SDK")]
    pub sdk: SdkChoice,

    #[command(flatten)]
    pub cred: CredArgs,

    #[command(flatten)]
    pub secret: SecretArgs,

    /// Fail (exit 14) when no secret is available to verify the signatures.
    #[arg(long)]
    pub require_signature: bool,

    /// Also write the report as JUnit XML to this file (for CI test reports).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
}

/// A `--header` pair; `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct HeaderArg {
    pub name: String,
    pub value: String,
}

impl fmt::Debug for HeaderArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HeaderArg({}: [REDACTED])", self.name)
    }
}

/// `Name: value`. The messages never contain the value (clap's own quote of the argument is
/// hidden too, see `SENSITIVE_VALUE_ARGS`).
pub fn parse_header(s: &str) -> Result<HeaderArg, String> {
    let Some((name, value)) = s.split_once(':') else {
        return Err("use 'Name: value' (no ':' found)".into());
    };
    let name = name.trim();
    if name.is_empty() {
        return Err("the header name before ':' is empty".into());
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    {
        return Err("the header name has characters a header name cannot have".into());
    }
    let value = value.trim();
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(format!(
            "the value of {name} has a line break or NUL, which HTTP cannot carry"
        ));
    }
    Ok(HeaderArg {
        name: name.to_string(),
        value: value.to_string(),
    })
}

pub fn parse_url(s: &str) -> Result<UrlTemplate, String> {
    UrlTemplate::parse(s)
}

pub fn parse_exec(s: &str) -> Result<ExecTemplate, String> {
    ExecTemplate::parse(s)
}

/// `10s`, `500ms`, `1m`: between 1 ms and 1 hour.
pub fn parse_timeout(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let d = if let Some(ms) = t.strip_suffix("ms") {
        Duration::from_millis(
            ms.trim()
                .parse()
                .map_err(|_| "use forms like 10s, 500ms, 1m".to_string())?,
        )
    } else {
        Duration::from_secs(crate::time::parse_duration(t)?.unsigned_abs())
    };
    if d.is_zero() || d > Duration::from_hours(1) {
        return Err("must be between 1ms and 1h".into());
    }
    Ok(d)
}

/// A duration in whole seconds (`30s`, `15m`, `24h`, `1d`).
pub fn parse_seconds(s: &str) -> Result<i64, String> {
    crate::time::parse_duration(s)
}

/// An RFC 6901 pointer: empty (the whole answer) or starting with '/'.
pub fn parse_pointer(s: &str) -> Result<String, String> {
    if s.is_empty() || s.starts_with('/') {
        Ok(s.to_string())
    } else {
        Err("a JSON pointer starts with '/', e.g. /data/token".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_parse_and_errors_never_show_the_value() {
        let h = parse_header("X-Api-Key:  s3cr3t-value ").unwrap();
        assert_eq!(
            (h.name.as_str(), h.value.as_str()),
            ("X-Api-Key", "s3cr3t-value")
        );
        assert!(!format!("{h:?}").contains("s3cr3t"));
        assert_eq!(
            parse_header("Authorization: Bearer a:b").unwrap().value,
            "Bearer a:b"
        );
        for bad in [
            "s3cr3t-value",
            ": s3cr3t-value",
            "X Key: s3cr3t-value",
            "X: s3cr3t\nvalue",
        ] {
            let e = parse_header(bad).unwrap_err();
            assert!(!e.contains("s3cr3t"), "{bad}: {e}");
        }
    }

    #[test]
    fn durations_and_pointers() {
        assert_eq!(parse_timeout("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_timeout("2s").unwrap(), Duration::from_secs(2));
        assert!(parse_timeout("0s").is_err());
        assert!(parse_timeout("2h").is_err());
        assert_eq!(parse_seconds("24h").unwrap(), 86_400);
        assert!(parse_seconds("-1").is_err());
        assert_eq!(parse_pointer("/data/token").unwrap(), "/data/token");
        assert!(parse_pointer("data").is_err());
    }
}
