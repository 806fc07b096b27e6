//! A `replay` invocation as data, in the shape the command layer resolves it into: what each
//! call is ([`CallSpec`]), who signs ([`Creds`]), where to send ([`Job::base_url`]), for whom
//! ([`Users`]) and how to show it ([`Output`]). [`super::run::execute`] turns it into a
//! [`super::plan::Plan`] and each call into an [`super::render::Exchange`].

use super::body::{self, Personalize};
use super::redact::Show;
use super::request::{self, PersonalizeFlags};
use super::{Call, Platform};
use crate::secret::{Secret, SecretText};
use serde_json::{Map, Value};
use std::time::Duration;

/// Where the Authorization comes from.
#[derive(Debug, Clone)]
pub(crate) enum TokenSource {
    /// `--token`: sent as given.
    Given(SecretText),
    /// Minted per call from the user id, like `mmjwt gen`, with this lifetime in seconds;
    /// broken one way with `--break`.
    Mint {
        ttl: i64,
        breakage: Option<crate::token::breakage::BreakKind>,
    },
    /// `--app-auth`: `App <appCode>`.
    App,
}

/// Who the calls are for.
#[derive(Debug, Clone)]
pub(crate) enum Users {
    /// One call; `--user-id` if given.
    One(Option<String>),
    /// `--users`: one call per line (line number, user id); `skipped` unusable lines.
    Many {
        users: Vec<(usize, String)>,
        skipped: usize,
    },
}

/// What to do with the built request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Send,
    /// Print the request, send nothing.
    DryRun,
    /// Print a curl command, send nothing.
    Curl,
}

/// Everything every call of the job shares, as the SDK would build it.
#[derive(Debug)]
pub(crate) struct CallSpec {
    pub call: Call,
    pub platform: Platform,
    pub token: TokenSource,
    pub patch: Option<Map<String, Value>>,
    /// The personalize body from `--data` (empty when not given).
    pub personalize: Personalize,
    pub flags: PersonalizeFlags,
    pub foreground: bool,
    pub session_id: Option<String>,
    pub user_agent: String,
    pub installation_id: String,
    /// `None` only with the embedded sandbox: each call then gets a fresh installation.
    pub push_reg_id: Option<String>,
    /// Run the SDK's own token validation before sending.
    pub preflight: bool,
    /// `--now`: the clock for minting and preflight.
    pub now: Option<i64>,
    /// What `data` said that the SDK's API cannot express, and what was sent instead.
    pub notes: Vec<String>,
}

impl CallSpec {
    /// `call` as the SDK on `platform` makes it by default: in the foreground, without a session
    /// id or personalize flags, with the SDK's own User-Agent and preflight, on the system
    /// clock. `data` is the body (`replay --data`, the debugger page's `data`), checked for
    /// `call`: saveUser's attributes (required), personalize's identity and attributes (may be
    /// completed per user later); fetchUser has none. `mmjwt replay` and the page build every
    /// call here and change only what they were given, so the two cannot send different calls.
    pub(crate) fn new(
        call: Call,
        platform: Platform,
        token: TokenSource,
        data: Option<Value>,
        installation_id: String,
        push_reg_id: Option<String>,
    ) -> Result<CallSpec, String> {
        let mut notes = Vec::new();
        let (patch, personalize) = match (call, data) {
            (Call::FetchUser, _) | (Call::Personalize, None) => (None, Personalize::default()),
            (Call::PatchUser, None) => {
                return Err("patch-user needs data: the user's members to save".into());
            }
            (Call::PatchUser, Some(d)) => {
                let mut m = body::check_patch(d)?;
                notes = body::normalise(&mut m, platform, "");
                if platform == Platform::Ios && !notes.is_empty() {
                    body::check_not_emptied(&m)?;
                }
                (Some(m), Personalize::default())
            }
            (Call::Personalize, Some(d)) => {
                let mut p = body::check_personalize(d)?;
                notes = body::normalise(&mut p.identity, platform, "userIdentity.");
                notes.extend(body::normalise(
                    &mut p.attributes,
                    platform,
                    "userAttributes.",
                ));
                (None, p)
            }
        };
        Ok(CallSpec {
            call,
            platform,
            token,
            patch,
            personalize,
            flags: PersonalizeFlags::default(),
            foreground: true,
            session_id: None,
            user_agent: request::default_user_agent(platform),
            installation_id,
            push_reg_id,
            preflight: true,
            now: None,
            notes,
        })
    }
}

/// Credentials as configured; the embedded sandbox completes the missing ones.
#[derive(Debug, Default)]
pub(crate) struct Creds {
    pub app_code: Option<String>,
    pub key_id: Option<String>,
    pub secret: Option<Secret>,
}

/// How the job is carried out and shown.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    pub mode: Mode,
    pub verbose: bool,
    pub show: Show,
    pub timeout: Duration,
    pub concurrency: usize,
    /// `--plugin`: whose error objects a refusal shows, each once, in a fixed order.
    pub plugins: Vec<crate::sdk::plugins::Plugin>,
}

/// A fully resolved `replay` invocation.
#[derive(Debug)]
pub(crate) struct Job {
    pub spec: CallSpec,
    pub creds: Creds,
    /// Checked, without a trailing `/`; `None` means the embedded sandbox.
    pub base_url: Option<String>,
    pub users: Users,
    pub output: Output,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(call: Call, data: Option<Value>) -> Result<CallSpec, String> {
        CallSpec::new(
            call,
            Platform::Ios,
            TokenSource::App,
            data,
            "i".into(),
            None,
        )
    }

    #[test]
    fn a_new_call_is_the_sdks_default_with_its_body_checked_for_the_call() {
        let s = spec(Call::FetchUser, None).unwrap();
        assert_eq!(s.user_agent, request::default_user_agent(Platform::Ios));
        assert!(s.foreground && s.preflight && s.session_id.is_none() && s.now.is_none());
        assert!(
            spec(Call::PatchUser, None)
                .unwrap_err()
                .contains("needs data")
        );
        assert!(spec(Call::PatchUser, Some(json!({}))).is_err());
        let patch = spec(Call::PatchUser, Some(json!({"firstName": "A"}))).unwrap();
        assert_eq!(patch.patch.unwrap()["firstName"], "A");
        assert!(spec(Call::Personalize, Some(json!([]))).is_err());
        let p = spec(
            Call::Personalize,
            Some(json!({"userIdentity": {"externalUserId": "u"}})),
        )
        .unwrap();
        assert_eq!(p.personalize.external_user_id(), Some("u"));
        assert!(p.patch.is_none());
    }
}
