//! The clap types of `mmjwt sandbox`. Parsing only: keys are taken as opaque text here and
//! checked in `commands::sandbox`, so that a malformed secret is never echoed by clap.

use super::{CredArgs, SecretArgs, values};
use crate::sandbox::{DEFAULT_LISTEN, LogFormat, Mode};
use crate::secret::SecretText;
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

pub const SANDBOX_EXAMPLES: &str = "\
Examples:
  mmjwt sandbox                                   # ephemeral app code and key, shown on stderr
  mmjwt sandbox --mode jwt-only --app-code demo --key \"k1=@k1.hex\" --key \"k2=@k2.hex\"
  export $(mmjwt keygen) MMJWT_APP_CODE=demo; mmjwt sandbox --mode jwt-only
  mmjwt sandbox --listen 127.0.0.1:0 --state sandbox.json --log-format json
The first line on stdout is the base URL; one log line per request goes to stderr.";

#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// Address to listen on; 127.0.0.1:0 picks a free port. Non-loopback addresses expose the
    /// sandbox to the network.
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,

    /// The App Profile's user data authorization option to emulate.
    #[arg(long, value_enum, default_value_t = Mode::AllowAll, value_name = "MODE")]
    pub mode: Mode,

    #[command(flatten)]
    pub cred: CredArgs,

    #[command(flatten)]
    pub secret: SecretArgs,

    /// A verification key: KID=HEXSECRET, or KID=@FILE to read the hex from a file.
    /// Repeatable (several keys at once, as during key rotation).
    #[arg(long = "key", value_name = "KID=HEX")]
    pub keys: Vec<SecretText>,

    /// Refuse push registration ids not given with --installation (NO_REGISTRATION) instead of
    /// creating them on first use.
    #[arg(long)]
    pub strict_installations: bool,

    /// An installation (push registration id) that exists from the start. Repeatable.
    #[arg(long = "installation", value_name = "ID", value_parser = values::installation)]
    pub installations: Vec<String>,

    /// Refuse a token whose jti was already used within its lifetime (JTI_REPLAYED).
    #[arg(long)]
    pub reject_replayed_jti: bool,

    /// Clock skew allowed for exp, nbf and iat (e.g. 30s).
    #[arg(long, value_name = "DURATION", default_value = values::DEFAULT_LEEWAY, value_parser = values::seconds)]
    pub leeway: i64,

    /// Keep all data in this JSON file: loaded at start, saved after every change.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Request log on stderr: text, json (NDJSON) or off. Default: json with --json, else text.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,

    /// Do not serve the debugger page at / and its API under /_mmjwt/.
    #[arg(long)]
    pub no_ui: bool,

    /// Requests not answered within this get 408.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = values::positive_seconds)]
    pub request_timeout: i64,
}
