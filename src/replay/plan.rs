//! The job's calls made concrete: the [`CallSpec`] with the base URL it goes to and the key
//! that signs, and the one function that builds each call's [`Exchange`] (credential, request,
//! the SDK's preflight verdict).

use super::Call;
use super::job::{CallSpec, TokenSource};
use super::render::{Exchange, Preflight};
use super::request::{self, Auth, Payload, Spec};
use crate::error::{ErrorKind, runtime};
use crate::sdk::userdata;
use crate::token::breakage::{self, Recipe};
use crate::token::mint::{Claims, JtiSource, Minter};

/// What every call of a job shares once the target and credentials are known.
#[derive(Debug)]
pub(crate) struct Plan {
    pub spec: CallSpec,
    pub base_url: String,
    pub app_code: String,
    /// The signing key when tokens are minted.
    pub minter: Option<Minter>,
}

/// Per-worker state: signing reuses buffers, jtis come from a block of randomness.
#[derive(Debug)]
pub(crate) struct Worker {
    minter: Option<Minter>,
    jtis: JtiSource,
}

impl Plan {
    pub(crate) fn worker(&self) -> Worker {
        Worker {
            minter: self.minter.clone(),
            jtis: JtiSource::default(),
        }
    }

    /// Builds one call for `user` (batch: `line` is set and the body is for that user).
    pub(crate) fn prepare(
        &self,
        w: &mut Worker,
        user: Option<&str>,
        line: Option<(usize, String)>,
    ) -> anyhow::Result<Exchange> {
        let now = self.spec.now.unwrap_or_else(crate::time::now_unix);
        let auth = match &self.spec.token {
            TokenSource::Given(t) => Auth::Bearer(t.expose().to_string()),
            TokenSource::App => Auth::App(self.app_code.clone()),
            TokenSource::Mint { ttl, breakage } => {
                let sub = user.unwrap_or_default();
                let jti = w.jtis.next_uuid().map_err(|e| {
                    runtime(ErrorKind::Random, format!("no randomness from the OS: {e}"))
                })?;
                let minter = w
                    .minter
                    .as_mut()
                    .ok_or_else(|| runtime(ErrorKind::Internal, "no signing key"))?;
                let claims = Claims {
                    sub,
                    app_code: &self.app_code,
                    iat: now,
                    exp: now.saturating_add(*ttl),
                    jti: &jti,
                    iss: Some(&self.app_code),
                    extra: &[],
                };
                let token = match breakage {
                    None => minter.mint(&claims).0,
                    Some(kind) => {
                        let (kid, key) = minter.signer();
                        let recipe = Recipe { kid, key, claims };
                        breakage::make(*kind, &recipe, now)
                            .map_err(|e| runtime(ErrorKind::Internal, e.to_string()))?
                            .made
                            .token
                    }
                };
                Auth::Bearer(token)
            }
        };
        let generated_reg_id;
        let push_reg_id = if let Some(r) = &self.spec.push_reg_id {
            r.as_str()
        } else {
            // Only the embedded sandbox gets here: a fresh installation per call.
            generated_reg_id = w.jtis.next_uuid().map_err(|e| {
                runtime(ErrorKind::Random, format!("no randomness from the OS: {e}"))
            })?;
            generated_reg_id.as_str()
        };
        let personalize;
        let payload = match self.spec.call {
            Call::FetchUser => Payload::None,
            Call::PatchUser => Payload::Patch(
                self.spec
                    .patch
                    .as_ref()
                    .ok_or_else(|| runtime(ErrorKind::Internal, "patch-user without a body"))?,
            ),
            Call::Personalize => {
                personalize = match (&line, user) {
                    (Some(_), Some(u)) => self.spec.personalize.for_user(u),
                    _ => self.spec.personalize.clone(),
                };
                Payload::Personalize(&personalize)
            }
        };
        let mut request = request::build(&Spec {
            call: self.spec.call,
            platform: self.spec.platform,
            push_reg_id,
            installation_id: Some(&self.spec.installation_id),
            app_code: &self.app_code,
            auth: &auth,
            foreground: self.spec.foreground,
            session_id: self.spec.session_id.as_deref(),
            user_agent: &self.spec.user_agent,
            payload,
            flags: self.spec.flags,
        });
        request.set_host(&self.base_url);
        // Both SDKs check the user data first, whatever the authorization (spec 5.8).
        let user_data = match payload {
            _ if !self.spec.preflight => None,
            Payload::None => None,
            Payload::Patch(m) => userdata::check_save_user(self.spec.platform, m),
            Payload::Personalize(p) => {
                userdata::check_personalize(self.spec.platform, &p.identity, &p.attributes)
            }
        };
        let preflight = match &auth {
            _ if let Some(r) = user_data => Preflight::UserDataRefused(r),
            Auth::App(_) => Preflight::NotApplicable,
            Auth::Bearer(_) if !self.spec.preflight => Preflight::Skipped,
            Auth::Bearer(t) => {
                let verdict = crate::sdk::validate(self.spec.platform, t, now);
                if verdict.accepted {
                    Preflight::Passed
                } else {
                    Preflight::Refused(verdict)
                }
            }
        };
        Ok(Exchange {
            call: self.spec.call,
            platform: self.spec.platform,
            url: request.url(&self.base_url),
            request,
            auth,
            line,
            preflight,
            outcome: None,
        })
    }
}
