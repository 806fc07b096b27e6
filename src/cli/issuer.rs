//! The clap types of `mmjwt issuer`: `list` the verified stacks, print or write one stack's
//! `code`, and `serve` a local token endpoint with the configured credentials.

use super::{CredArgs, SecretArgs, values};
use crate::issuer::serve::DEFAULT_LISTEN;
use clap::{Args, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

pub const ISSUER_EXAMPLES: &str = "\
Examples:
  mmjwt issuer list
  mmjwt issuer code python-pyjwt                       # the main file on stdout
  mmjwt issuer code node-jose --out backend/infobip    # every file the stack needs
  mmjwt audit --exec 'python3 infobip_jwt.py {user}'   # then prove it (see mmjwt audit --help)
  eval \"$(mmjwt keygen)\"; MMJWT_APP_CODE=demo mmjwt issuer serve";

pub const SERVE_EXAMPLES: &str = "\
Examples:
  mmjwt issuer serve --app-code \"$APP\" --key-id \"$KID\" --secret-file key.hex
  curl 'http://127.0.0.1:8788/token?user=alice'      # {\"token\": \"...\", \"exp\": ...}
  mmjwt issuer serve --listen 0.0.0.0:8788 --allow-remote   # a phone on the LAN (any user's token!)
From the Android emulator the host is http://10.0.2.2:8788; the iOS simulator uses 127.0.0.1.
The first line on stdout is the token URL; one log line per request goes to stderr. Ctrl-C stops it.";

#[derive(Debug, Clone, Args)]
pub struct IssuerArgs {
    #[command(subcommand)]
    pub command: IssuerCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum IssuerCommand {
    /// The stacks: language, library and the version the code was verified with, install and
    /// run commands.
    List,
    /// Print a stack's main file, or write all its files with --out.
    Code(CodeArgs),
    /// Answer GET /token?user=ID with a token signed as gen signs it (loopback only by default).
    #[command(after_help = SERVE_EXAMPLES)]
    Serve(ServeArgs),
}

#[derive(Debug, Clone, Args)]
pub struct CodeArgs {
    /// The stack id (see `mmjwt issuer list`).
    #[arg(value_name = "STACK")]
    pub stack: String,

    /// Write every file of the stack into this directory (created if missing) instead of
    /// printing the main file.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// With --out: overwrite files that exist.
    #[arg(long, requires = "out")]
    pub force: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on; 127.0.0.1:0 picks a free port. A non-loopback address needs
    /// --allow-remote.
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,

    /// Allow a non-loopback --listen address: anyone who can reach it gets a token for any user.
    #[arg(long)]
    pub allow_remote: bool,

    /// Lifetime of each token: 90s, 15m, 2h.
    #[arg(long, value_name = "DURATION", default_value = values::DEFAULT_TTL, value_parser = values::seconds)]
    pub ttl: i64,

    #[command(flatten)]
    pub cred: CredArgs,

    #[command(flatten)]
    pub secret: SecretArgs,
}
