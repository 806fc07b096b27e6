//! Every clap type of the command line, in one place. Parsing only: no I/O, no validation that
//! needs the environment (that happens in `commands`).
//!
//! Conventions: long flags are kebab-case; every option that takes a value has an upper-case
//! value name; every argument backed by an environment variable hides its value in `--help`.

pub mod audit;
pub mod issuer;
pub mod lone;
pub mod plain;
pub mod replay;
pub mod sandbox;
pub mod ui;
pub mod values;

/// Command lines of the usual kind, which both quick readers ([`lone`] and [`plain`]) must take
/// and read as the whole clap tree does; each one's tests add lines of their own.
#[cfg(test)]
const USUAL_LINES: [&[&str]; 5] = [
    &["mmjwt", "check", "a.b.c"],
    &["mmjwt", "--json", "check", "--secret-file", "k", "-"],
    &[
        "mmjwt",
        "--color",
        "never",
        "gen",
        "--user-id",
        "alice",
        "--ttl",
        "1h",
    ],
    &[
        "mmjwt",
        "check",
        "--sdk",
        "ios",
        "--now",
        "2026-01-01T00:00:00Z",
        "t",
    ],
    &[
        "mmjwt",
        "gen",
        "--user-id",
        "u",
        "--claim",
        "plan=pro",
        "--claim",
        "n:=1",
    ],
];

use crate::color::ColorChoice;
use crate::sdk::SdkSelection;
use crate::secret::SecretText;
use crate::token::breakage::BreakKind;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use values::ClaimArg;

/// Make, check and replay Infobip Mobile Messaging user-data JWTs, and run a local sandbox of
/// the Mobile API user endpoints.
#[derive(Debug, Parser)]
#[command(
    name = "mmjwt",
    version,
    propagate_version = true,
    after_help = crate::error::exit_table(),
    after_long_help = crate::error::exit_table(),
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Command,
}

// The flags every subcommand takes. Not `///`: a flattened struct's doc comment would become
// the program's about line.
#[derive(Debug, Clone, Copy, Args)]
pub struct Global {
    /// When to colour output: auto (a terminal, and no NO_COLOR), always or never.
    #[arg(
        long,
        global = true,
        value_parser = values::COLOR,
        default_value = values::COLOR.name(ColorChoice::Auto),
        value_name = "WHEN"
    )]
    pub color: ColorChoice,

    /// Machine-readable JSON on stdout (one object per line when piped); errors as JSON too.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a signed user-data JWT for an external user id.
    #[command(after_help = GEN_EXAMPLES)]
    Gen(GenArgs),
    /// Decode and judge a token: what the Android and iOS SDKs say, what the server would reject.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Print a fresh random key id and 32-byte hex secret (for the sandbox and tests).
    Keygen(KeygenArgs),
    /// Run a local emulator of the Mobile API user endpoints under one authorization mode.
    #[command(after_help = sandbox::SANDBOX_EXAMPLES)]
    Sandbox(sandbox::SandboxArgs),
    /// Send the fetchUser, saveUser or personalize call exactly as an SDK sends it.
    Replay(replay::ReplayArgs),
    /// Ask a token issuer for tokens for many user ids and judge them as the SDKs and the
    /// server will, one by one and across tokens (a CI check of the backend).
    #[command(after_help = audit::AUDIT_EXAMPLES)]
    Audit(audit::AuditArgs),
    /// Token-issuing code for backends, verified with each library, and a local token endpoint.
    #[command(after_help = issuer::ISSUER_EXAMPLES)]
    Issuer(issuer::IssuerArgs),
    /// Open the offline token debugger (a jwt-only sandbox with its page) in the browser.
    #[command(after_help = ui::UI_EXAMPLES)]
    Ui(ui::UiArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff) on stdout, or write one per subcommand into a directory.
    #[command(after_help = MAN_EXAMPLES)]
    Man(ManArgs),
}

const MAN_EXAMPLES: &str = "\
Examples:
  mmjwt man | man -l -                            # read the top-level page
  mmjwt man replay fetch-user | man -l -          # one subcommand's page
  mmjwt man --dir ~/.local/share/man/man1         # install them all; then: man mmjwt-check";

const GEN_EXAMPLES: &str = "\
Examples:
  export MMJWT_APP_CODE=... MMJWT_KEY_ID=... MMJWT_SECRET=...   # from the Infobip portal
  mmjwt gen --user-id alice
  mmjwt gen --user-id alice --ttl 1h --claim plan=pro --json
  printf 'alice\\nbob\\n' | mmjwt gen --user-id -
  mmjwt gen --user-id alice --secret-file key.hex --now 1700000000 --jti fixed-id
  mmjwt gen --user-id alice --break expired --plugin flutter   # test the app's catch block
  mmjwt gen --from \"$TOKEN\" --claim plan=pro --unset iss      # edit a token, sign it again
  mmjwt gen --from \"$TOKEN\" --user-id bob --break user        # edit it, then make it fail one way";

const CHECK_EXAMPLES: &str = "\
Examples:
  mmjwt check \"$TOKEN\"
  mmjwt check --secret-file key.hex --user-id alice \"$TOKEN\"
  echo \"Authorization: Bearer $TOKEN\" | mmjwt check --json
  mmjwt check --plugin flutter \"$TOKEN\"          # what the Dart catch block receives
  curl -s \"$TOKEN_URL\" | mmjwt check --exact      # the backend's answer, as the SDK gets it
  mmjwt check --sdk ios --now 2026-01-01T00:00:00Z - < tokens.txt";

/// Where the hex secret comes from. Without any of these, `MMJWT_SECRET` is read.
#[derive(Debug, Clone, Default, Args)]
pub struct SecretArgs {
    /// Read the hex secret from a file ('-' for standard input). Preferred in CI.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["secret_stdin", "secret"])]
    pub secret_file: Option<PathBuf>,

    /// Read the hex secret from standard input.
    #[arg(long, conflicts_with = "secret")]
    pub secret_stdin: bool,

    /// The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file.
    #[arg(long, value_name = "HEX")]
    pub secret: Option<SecretText>,
}

impl SecretArgs {
    /// True when the secret is to be read from standard input, which then cannot carry
    /// anything else.
    pub fn reads_stdin(&self) -> bool {
        self.secret_stdin
            || self
                .secret_file
                .as_ref()
                .is_some_and(|p| p.as_os_str() == "-")
    }
}

/// The application code and key id, from flags or the environment.
#[derive(Debug, Clone, Default, Args)]
pub struct CredArgs {
    /// The Application Code of the App Profile (the infobip-api-key claim).
    #[arg(
        long,
        value_name = "CODE",
        env = "MMJWT_APP_CODE",
        hide_env_values = true
    )]
    pub app_code: Option<String>,

    /// The secret key id from the portal's JWT private keys section (the kid header).
    #[arg(long, value_name = "KID", env = "MMJWT_KEY_ID", hide_env_values = true)]
    pub key_id: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct GenArgs {
    /// The external user id (the sub claim); '-' reads one id per line from standard input.
    /// With --from: replaces sub (optional).
    #[arg(long, value_name = "ID", required_unless_present = "from")]
    pub user_id: Option<String>,

    #[command(flatten)]
    pub cred: CredArgs,

    #[command(flatten)]
    pub secret: SecretArgs,

    // The help names the default from the one constant (no clap default: with --from, no
    // --ttl means the token's own times).
    #[arg(
        long,
        value_name = "DURATION",
        conflicts_with = "exp",
        value_parser = values::seconds,
        help = format!(
            "Lifetime: 90s, 15m, 2h, 1d, 1h30m (default {}). With --from: iat becomes now and exp now plus this lifetime; without it the token's times stay",
            values::DEFAULT_TTL
        )
    )]
    pub ttl: Option<i64>,

    /// Expiry instead of a lifetime: Unix seconds or RFC 3339.
    #[arg(long, value_name = "TIME", value_parser = values::instant)]
    pub exp: Option<i64>,

    /// Pretend the time is this (Unix seconds or RFC 3339) so output is reproducible. With
    /// --from: the new iat, and the time the result is judged at.
    #[arg(long, value_name = "TIME", value_parser = values::instant)]
    pub now: Option<i64>,

    /// The jti claim instead of a random UUID v4 (single tokens only).
    #[arg(long, value_name = "ID")]
    pub jti: Option<String>,

    /// Leave out the iss claim (by default it is the application code, as in every official example).
    #[arg(long)]
    pub no_iss: bool,

    /// An extra claim: KEY=VALUE (a string) or KEY:=JSON (any JSON value). Repeatable.
    #[arg(long, value_name = "KEY=VALUE")]
    pub claim: Vec<ClaimArg>,

    /// Allow an exp that is not after now (test fixtures).
    #[arg(long)]
    pub allow_expired: bool,

    /// Allow an empty user id, app code or key id (test fixtures the SDK would refuse).
    #[arg(long)]
    pub allow_empty: bool,

    /// Write the token to this file (mode 0600) and print nothing.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Make the token fail one way, otherwise the same: expired and structure (both SDKs
    /// refuse it), signature, user, app-code, kid (the server does). Standard error says what
    /// the app will see; --json adds it as `break`. With --from: the edited token, judged
    /// against the sub, infobip-api-key and kid it names.
    #[arg(long = "break", value_name = "KIND", value_parser = values::BREAK_KIND)]
    pub break_kind: Option<BreakKind>,

    /// With --break: also show what the app's catch block receives through this plugin.
    /// Repeatable or comma-separated.
    #[arg(long, value_name = "PLUGIN", requires = "break_kind", value_parser = values::PluginListParser)]
    pub plugin: Vec<values::PluginList>,

    /// Edit this token and sign it again ('-' for standard input; 'Bearer ' and the like are
    /// removed as check does). Its header and claims stay as written; --user-id, --app-code,
    /// --key-id (also from MMJWT_APP_CODE, MMJWT_KEY_ID), --jti, --ttl, --exp, --now, --claim,
    /// --unset and --no-iss edit them.
    #[arg(long, value_name = "TOKEN")]
    pub from: Option<String>,

    /// With --from: remove this claim (it must be there). Repeatable.
    #[arg(long, value_name = "KEY", requires = "from")]
    pub unset: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// The token, or '-' for standard input (read when piped and no token is given).
    /// Surrounding whitespace and an 'Authorization:' / 'Bearer ' prefix are stripped
    /// (unless --exact).
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,

    /// Judge the string exactly as given, as the SDK gets it from setUserDataJwt: nothing
    /// stripped (on stdin, each line minus its \n or \r\n).
    #[arg(long)]
    pub exact: bool,

    /// Also show what the app's catch block receives through this plugin on each platform.
    /// Repeatable or comma-separated; an empty value shows none.
    #[arg(
        long,
        value_name = "PLUGIN",
        env = "MMJWT_PLUGIN",
        hide_env_values = true,
        value_parser = values::PluginListParser
    )]
    pub plugin: Vec<values::PluginList>,

    /// Which SDK's client-side validation to emulate.
    #[arg(long, value_name = "SDK", default_value = values::DEFAULT_SDK, value_parser = values::sdk_selection())]
    pub sdk: SdkSelection,

    /// Clock skew allowed for exp, nbf and iat (e.g. 30s).
    #[arg(long, value_name = "DURATION", default_value = values::DEFAULT_LEEWAY, value_parser = values::seconds)]
    pub leeway: i64,

    /// Judge as if the time were this (Unix seconds or RFC 3339).
    #[arg(long, value_name = "TIME", value_parser = values::instant)]
    pub now: Option<i64>,

    /// The external user id the token must carry as sub.
    #[arg(long, value_name = "ID")]
    pub user_id: Option<String>,

    #[command(flatten)]
    pub cred: CredArgs,

    #[command(flatten)]
    pub secret: SecretArgs,

    /// Fail (exit 14) when no secret is available to verify the signature.
    #[arg(long)]
    pub require_signature: bool,
}

#[derive(Debug, Clone, Args)]
pub struct KeygenArgs {
    /// A prefix for the generated key id.
    #[arg(long, value_name = "TEXT", default_value = "mmjwt")]
    pub prefix: String,
}

#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// The page of this subcommand instead of the top-level one: check, replay fetch-user, ...
    #[arg(value_name = "SUBCOMMAND", conflicts_with = "dir")]
    pub command: Vec<String>,

    /// Write mmjwt.1 and a page per subcommand (mmjwt-check.1, mmjwt-replay-fetch-user.1, ...)
    /// into this directory, created if needed, and print their paths.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

/// The shells `mmjwt completions` writes a script for (named as clap_complete names them, so
/// the scripts the tests generate with it are the ones this picks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Elvish,
    Fish,
    #[value(name = "powershell")]
    PowerShell,
    Zsh,
}

/// Parses the command line (the program name first) as [`Cli::try_parse_from`] does: a plain
/// `gen` or `check` line without clap ([`plain`]), else through the smallest clap tree that
/// reads it alike ([`lone`]).
pub fn parse(args: &[std::ffi::OsString]) -> Result<Cli, clap::Error> {
    match plain::parse(args, &plain::process_env) {
        Some(cli) => Ok(cli),
        None => lone::parse(args),
    }
}

/// The clap command, for completions, the man pages and tests.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}
