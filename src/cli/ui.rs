//! The clap types of `mmjwt ui`: the page on a free loopback port, with the configured or
//! ephemeral credentials.

use super::{CredArgs, SecretArgs};
use crate::sandbox::LogFormat;
use clap::Args;

pub const UI_EXAMPLES: &str = "\
Examples:
  mmjwt ui                                        # ephemeral app code and key; opens the browser
  mmjwt ui --no-open                              # print the URL only
  export $(mmjwt keygen) MMJWT_APP_CODE=demo; mmjwt ui
The first line on stdout is the page's URL (add #token=... to preload a token). Ctrl-C stops it.";

#[derive(Debug, Clone, Args)]
pub struct UiArgs {
    /// Do not open the default browser; only print the URL.
    #[arg(long)]
    pub no_open: bool,

    #[command(flatten)]
    pub cred: CredArgs,

    #[command(flatten)]
    pub secret: SecretArgs,

    /// Request log on stderr as well as on the page: text, json or off (default).
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "off")]
    pub log_format: LogFormat,
}
