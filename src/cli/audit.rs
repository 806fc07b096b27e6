//! The clap types of `mmjwt audit`; its typed values (the issuer templates, `--header`, the
//! JSON pointer) are parsed in [`super::values`].

use super::values::{self, HeaderArg};
use super::{CredArgs, SecretArgs};
use crate::audit::template::{ExecTemplate, UrlTemplate};
use crate::sdk::SdkSelection;
use clap::{ArgGroup, Args};
use std::path::PathBuf;
use std::time::Duration;

pub const AUDIT_EXAMPLES: &str = "\
Examples:
  mmjwt audit --url 'http://localhost:3000/mm-token?user={user}' \\
      --app-code \"$APP\" --key-id \"$KID\" --secret-file key.hex --junit audit.xml
  mmjwt audit --exec 'node scripts/issue-token.js {user}' --secret-file key.hex
  mmjwt audit --url 'https://staging.example/api/users/{user}/mm-jwt' \\
      --header-file staging-auth.txt --json-pointer /data/jwt
  printf 'alice\\nbob\\n' | mmjwt audit --url 'http://127.0.0.1:3000/t/{user}' \\
      --users - --repeat 5 --json";

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
    #[arg(long, value_name = "TEMPLATE", value_parser = values::url_template)]
    pub url: Option<UrlTemplate>,

    /// Run this program per user, without a shell: {user} in its words becomes the user id
    /// (also in MMJWT_AUDIT_USER); the token is read from its stdout.
    #[arg(long, value_name = "TEMPLATE", value_parser = values::exec_template)]
    pub exec: Option<ExecTemplate>,

    /// A header for the backend's own authorization, 'Name: value' (repeatable; with --url).
    /// The value is never printed.
    #[arg(long, value_name = "NAME: VALUE", value_parser = values::header, conflicts_with = "exec")]
    pub header: Vec<HeaderArg>,

    /// Headers from a file, one 'Name: value' per line (keeps credentials out of argv, which
    /// other users can read). Repeatable; with --url.
    #[arg(long, value_name = "FILE", conflicts_with = "exec")]
    pub header_file: Vec<PathBuf>,

    /// Time allowed per fetch (HTTP exchange or program run): 10s, 500ms, 1m.
    #[arg(long, value_name = "DURATION", default_value = values::DEFAULT_TIMEOUT, value_parser = values::timeout)]
    pub timeout: Duration,

    /// Where the token is in a JSON answer (RFC 6901), e.g. /data/token. Without it the
    /// members token, jwt, accessToken, access_token and userDataJwt are tried.
    #[arg(long, value_name = "POINTER", value_parser = values::json_pointer)]
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
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = values::seconds)]
    pub max_skew: i64,

    /// LIFETIME_TOO_SHORT below this exp - iat.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = values::seconds)]
    pub min_lifetime: i64,

    /// LIFETIME_TOO_LONG above this exp - iat.
    #[arg(long, value_name = "DURATION", default_value = "24h", value_parser = values::seconds)]
    pub max_lifetime: i64,

    /// Clock skew the check allows for exp, nbf and iat (as in mmjwt check).
    #[arg(long, value_name = "DURATION", default_value = values::DEFAULT_LEEWAY, value_parser = values::seconds)]
    pub leeway: i64,

    /// Which SDK's client-side validation to emulate.
    #[arg(long, value_name = "SDK", default_value = values::DEFAULT_SDK, value_parser = values::sdk_selection())]
    pub sdk: SdkSelection,

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
