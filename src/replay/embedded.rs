//! The sandbox `replay` starts in-process when no base URL is given: jwt-only mode on
//! 127.0.0.1:0, with the configured credentials, any missing part replaced by an ephemeral one,
//! so that `mmjwt replay personalize --user-id alice` works on a machine with nothing set up.

use crate::error::{ErrorKind, runtime};
use crate::secret::Secret;
use crate::secret::random_key_id;
use std::net::{Ipv4Addr, SocketAddr};

use crate::sandbox;

/// Credentials the embedded sandbox accepts and `replay` signs with.
#[derive(Debug)]
pub(crate) struct Credentials {
    pub app_code: String,
    pub key_id: String,
    pub secret: Secret,
    /// Which of them were made up for this run ("app code", "key id", "secret").
    pub ephemeral: Vec<&'static str>,
}

/// Fills what is not configured with fresh random values.
pub(crate) fn complete(
    app_code: Option<String>,
    key_id: Option<String>,
    secret: Option<Secret>,
) -> anyhow::Result<Credentials> {
    let fail =
        |e: std::io::Error| runtime(ErrorKind::Random, format!("no randomness from the OS: {e}"));
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
pub(crate) struct Embedded {
    sandbox: sandbox::Sandbox,
    url: String,
}

impl Embedded {
    /// Starts the sandbox in jwt-only mode with `creds` as its only key, quiet (replay prints
    /// what matters itself).
    pub(crate) async fn start(creds: &Credentials) -> anyhow::Result<Embedded> {
        let mut config = sandbox::Config::new(sandbox::Mode::JwtOnly, creds.app_code.clone())
            .with_secret(creds.key_id.clone(), &creds.secret);
        config.log = sandbox::LogFormat::Off;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let sandbox = sandbox::Sandbox::start(config, addr).await?;
        let url = sandbox.url();
        Ok(Embedded { sandbox, url })
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    pub(crate) async fn stop(self) -> anyhow::Result<()> {
        self.sandbox.shutdown().await
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
