//! The clap types of `mmjwt replay fetch-user|patch-user|personalize`.

use super::values::{self, BaseUrl, PushRegId};
use super::{CredArgs, SecretArgs};
use crate::sdk::Platform;
use crate::secret::SecretText;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

const REPLAY_EXAMPLES: &str = "\
Examples:
  mmjwt replay personalize --user-id alice          # embedded sandbox, nothing to set up
  export MMJWT_BASE_URL=http://127.0.0.1:8080 MMJWT_PUSH_REG_ID=reg-1
  mmjwt replay fetch-user --user-id alice --sdk ios -v
  mmjwt replay save-user --user-id alice --data '{\"firstName\":\"Alice\",\"tags\":[\"vip\"]}'
  mmjwt replay personalize --token \"$TOKEN\" --no-preflight --json
  mmjwt replay personalize --user-id alice --curl
  mmjwt replay personalize --users ids.txt --concurrency 16";

/// Send the HTTP call an SDK makes for a user-data API, as that SDK builds it.
#[derive(Debug, Clone, Args)]
#[command(after_help = REPLAY_EXAMPLES)]
pub struct ReplayArgs {
    #[command(subcommand)]
    pub call: ReplayCall,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ReplayCall {
    /// fetchUser: GET the installation's user.
    #[command(after_help = REPLAY_EXAMPLES)]
    FetchUser(FetchUserArgs),
    /// saveUser: PATCH the user's attributes (Android: POST with X-HTTP-Method-Override).
    #[command(alias = "save-user", after_help = REPLAY_EXAMPLES)]
    PatchUser(PatchUserArgs),
    /// personalize: POST a user identity (and attributes) to tie the installation to a person.
    #[command(after_help = REPLAY_EXAMPLES)]
    Personalize(PersonalizeArgs),
}

impl ReplayCall {
    pub fn common(&self) -> &CommonReplayArgs {
        match self {
            ReplayCall::FetchUser(a) => &a.common,
            ReplayCall::PatchUser(a) => &a.common,
            ReplayCall::Personalize(a) => &a.common,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct FetchUserArgs {
    #[command(flatten)]
    pub common: CommonReplayArgs,
}

#[derive(Debug, Clone, Args)]
pub struct PatchUserArgs {
    /// The user attributes: JSON, @FILE or '-' for standard input. null clears a field.
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub data: String,

    #[command(flatten)]
    pub common: CommonReplayArgs,
}

#[derive(Debug, Clone, Args)]
pub struct PersonalizeArgs {
    /// {"userIdentity": {..}, "userAttributes": {..}}: JSON, @FILE or '-'. Without it, or
    /// without an externalUserId in it, the identity is --user-id.
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub data: Option<String>,

    /// Send forceDepersonalize=true (take the installation from another person).
    #[arg(long)]
    pub force_depersonalize: bool,

    /// Send keepAsLead=true.
    #[arg(long)]
    pub keep_as_lead: bool,

    /// Send setDeviceAsPrimary=true.
    #[arg(long)]
    pub set_device_as_primary: bool,

    #[command(flatten)]
    pub common: CommonReplayArgs,
}

#[derive(Debug, Clone, Args)]
pub struct CommonReplayArgs {
    /// Where the Mobile API is, e.g. a sandbox: http://127.0.0.1:8080. Without it, an embedded
    /// sandbox is started for the call.
    #[arg(
        long,
        value_name = "URL",
        env = "MMJWT_BASE_URL",
        hide_env_values = true
    )]
    pub base_url: Option<BaseUrl>,

    /// Whose wire format: android (POST + method override, true/false flags) or ios (PATCH,
    /// 1/0 flags, sorted JSON).
    #[arg(
        long,
        value_parser = values::PLATFORM,
        default_value = values::PLATFORM.name(Platform::Android),
        value_name = "SDK"
    )]
    pub sdk: Platform,

    /// The external user id: the token's sub (and personalize's externalUserId).
    #[arg(long, value_name = "ID", conflicts_with = "users")]
    pub user_id: Option<String>,

    /// One call per user id, one id per line ('-' for standard input), each with its own token.
    #[arg(long, value_name = "FILE|-")]
    pub users: Option<PathBuf>,

    /// Calls in flight at once with --users (1-256).
    #[arg(long, value_name = "N", default_value_t = 8,
        value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,

    /// Send this token instead of generating one ('-' reads it from standard input).
    #[arg(long, value_name = "TOKEN|-", conflicts_with_all = ["app_auth", "users"])]
    pub token: Option<SecretText>,

    // The help text is given as a string: rustdoc would read `<appCode>` as an HTML tag.
    #[arg(
        long,
        help = "Send 'Authorization: App <appCode>', as the SDK does for an anonymous user"
    )]
    pub app_auth: bool,

    #[command(flatten)]
    pub cred: CredArgs,

    #[command(flatten)]
    pub secret: SecretArgs,

    /// Make the generated token fail one way (as `gen --break`); a kind the SDK refuses is
    /// refused before sending, the others show the server's answer.
    #[arg(
        long = "break",
        value_name = "KIND",
        value_parser = values::BREAK_KIND,
        conflicts_with_all = ["token", "app_auth"]
    )]
    pub break_kind: Option<crate::token::breakage::BreakKind>,

    /// Lifetime of generated tokens: 90s, 15m, 2h. 0 makes them expired (preflight refuses).
    #[arg(long, value_name = "DURATION", default_value = values::DEFAULT_TTL, value_parser = values::seconds)]
    pub ttl: i64,

    /// Mint and preflight as if the time were this (Unix seconds or RFC 3339).
    #[arg(long, value_name = "TIME", value_parser = values::instant)]
    pub now: Option<i64>,

    /// The installation's push registration id (required with --base-url).
    #[arg(
        long,
        value_name = "ID",
        env = "MMJWT_PUSH_REG_ID",
        hide_env_values = true
    )]
    pub push_reg_id: Option<PushRegId>,

    /// The installationid header (default: a random UUID per run).
    #[arg(long, value_name = "ID", value_parser = values::header_id)]
    pub installation_id: Option<String>,

    /// Send a sessionId header (Android sends it only in the foreground).
    #[arg(long, value_name = "ID", value_parser = values::header_id)]
    pub session_id: Option<String>,

    /// Send foreground: false (the app is in the background).
    #[arg(long)]
    pub background: bool,

    /// Replace the SDK-style User-Agent.
    #[arg(long, value_name = "TEXT", value_parser = values::user_agent)]
    pub user_agent: Option<String>,

    /// Connect and total timeout: 10s, 500ms.
    #[arg(long, value_name = "DURATION", default_value = values::DEFAULT_TIMEOUT, value_parser = values::timeout)]
    pub timeout: Duration,

    /// Send even when the SDK's own checks (the user data, then the token) would refuse the call.
    #[arg(long)]
    pub no_preflight: bool,

    /// When the SDK refuses the call, also show what the app's catch block receives through
    /// this plugin. Repeatable or comma-separated.
    #[arg(long, value_name = "PLUGIN", value_parser = values::PluginListParser)]
    pub plugin: Vec<values::PluginList>,

    /// Print request and response headers on stderr (credentials redacted).
    #[arg(short = 'v', long)]
    pub verbose: bool,

    /// Print the exact request and send nothing.
    #[arg(long, conflicts_with = "curl")]
    pub dry_run: bool,

    /// Print an equivalent curl command and send nothing.
    #[arg(long)]
    pub curl: bool,

    /// Show the token or application code in -v, --dry-run, --curl and --json output.
    #[arg(long)]
    pub show_secrets: bool,
}
