//! The sandbox `replay` starts in-process when no base URL is given: jwt-only mode on
//! 127.0.0.1:0, with the configured credentials, any missing part replaced by an ephemeral one,
//! so that `mmjwt replay personalize --user-id alice` works on a machine with nothing set up.
//!
//! MERGE NOTE — the sandbox library is built on another branch. Until it is merged, the
//! private module `pending_sandbox` below stands in for `crate::sandbox` with the same names
//! and signatures, and its `Sandbox::start` refuses with a usage error. To wire the real
//! sandbox: delete `mod pending_sandbox` (with its tests) and replace
//! `use pending_sandbox as sandbox;` by `use crate::sandbox;`. Nothing else changes.

use crate::commands::keygen::random_key_id;
use crate::error::runtime;
use crate::secret::Secret;
use std::net::{Ipv4Addr, SocketAddr};

use pending_sandbox as sandbox;

/// Credentials the embedded sandbox accepts and `replay` signs with.
#[derive(Debug)]
pub struct Credentials {
    pub app_code: String,
    pub key_id: String,
    pub secret: Secret,
    /// Which of them were made up for this run ("app code", "key id", "secret").
    pub ephemeral: Vec<&'static str>,
}

/// Fills what is not configured with fresh random values.
pub fn complete(
    app_code: Option<String>,
    key_id: Option<String>,
    secret: Option<Secret>,
) -> anyhow::Result<Credentials> {
    let fail = |e: std::io::Error| runtime("random", format!("no randomness from the OS: {e}"));
    let mut ephemeral = Vec::new();
    let app_code = match app_code {
        Some(c) => c,
        None => {
            ephemeral.push("app code");
            random_key_id("mmjwt-app").map_err(fail)?
        }
    };
    let key_id = match key_id {
        Some(k) => k,
        None => {
            ephemeral.push("key id");
            random_key_id("mmjwt").map_err(fail)?
        }
    };
    let secret = match secret {
        Some(s) => s,
        None => {
            ephemeral.push("secret");
            Secret::random().map_err(fail)?
        }
    };
    Ok(Credentials {
        app_code,
        key_id,
        secret,
        ephemeral,
    })
}

/// A running embedded sandbox.
#[derive(Debug)]
pub struct Embedded {
    sandbox: sandbox::Sandbox,
    url: String,
}

impl Embedded {
    /// Starts the sandbox in jwt-only mode with `creds` as its only key, quiet (replay prints
    /// what matters itself).
    pub async fn start(creds: &Credentials) -> anyhow::Result<Embedded> {
        let mut config = sandbox::Config::new(sandbox::Mode::JwtOnly, creds.app_code.clone());
        config
            .keys
            .insert(creds.key_id.clone(), creds.secret.hmac_key());
        config.log = sandbox::LogFormat::Off;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let sandbox = sandbox::Sandbox::start(config, addr).await?;
        let url = sandbox.url();
        Ok(Embedded { sandbox, url })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        self.sandbox.shutdown().await
    }
}

/// Stand-in for `crate::sandbox` until the sandbox branch is merged (see the module header).
mod pending_sandbox {
    #![allow(dead_code, unreachable_pub, clippy::unused_async, clippy::unused_self)]

    use crate::secret::HmacKey;
    use std::collections::HashMap;
    use std::net::SocketAddr;
    use std::path::PathBuf;

    #[derive(Debug)]
    pub enum Mode {
        AllowAll,
        JwtOnly,
        Disallow,
    }

    #[derive(Debug)]
    pub enum LogFormat {
        Text,
        Json,
        Off,
    }

    #[derive(Debug)]
    pub enum Clock {
        System,
        Fixed(i64),
    }

    #[derive(Debug)]
    pub struct Config {
        pub mode: Mode,
        pub app_code: String,
        pub keys: HashMap<String, HmacKey>,
        pub strict_installations: bool,
        pub installations: Vec<String>,
        pub reject_replayed_jti: bool,
        pub leeway: i64,
        pub state_file: Option<PathBuf>,
        pub log: LogFormat,
        pub clock: Clock,
    }

    impl Config {
        pub fn new(mode: Mode, app_code: impl Into<String>) -> Config {
            Config {
                mode,
                app_code: app_code.into(),
                keys: HashMap::new(),
                strict_installations: false,
                installations: Vec::new(),
                reject_replayed_jti: false,
                leeway: 0,
                state_file: None,
                log: LogFormat::Text,
                clock: Clock::System,
            }
        }
    }

    #[derive(Debug)]
    pub struct Sandbox;

    impl Sandbox {
        pub async fn start(_config: Config, _addr: SocketAddr) -> anyhow::Result<Sandbox> {
            Err(crate::error::usage(
                "no --base-url (or MMJWT_BASE_URL) and no embedded sandbox in this build; pass --base-url URL",
            ))
        }

        pub fn url(&self) -> String {
            String::new()
        }

        pub async fn shutdown(self) -> anyhow::Result<()> {
            Ok(())
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn the_stand_in_refuses_with_a_usage_error() {
            let rt = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            let creds = super::super::complete(None, None, None).unwrap();
            let err = rt
                .block_on(super::super::Embedded::start(&creds))
                .unwrap_err();
            assert_eq!(crate::error::classify(&err).0, crate::error::exit::USAGE);
            assert!(err.to_string().contains("--base-url"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_parts_are_kept_and_the_rest_made_up() {
        let c = complete(Some("app".into()), None, None).unwrap();
        assert_eq!(c.app_code, "app");
        assert!(c.key_id.starts_with("mmjwt-"));
        assert_eq!(c.secret.len(), 32);
        assert_eq!(c.ephemeral, ["key id", "secret"]);
        let all = complete(
            Some("a".into()),
            Some("k".into()),
            Some(Secret::from_bytes(vec![1; 32])),
        )
        .unwrap();
        assert!(all.ephemeral.is_empty());
    }
}
