//! The judgement without the report: what the sandbox needs to answer a Bearer request (the
//! problem it answers with, or who the valid token names), and nothing it would drop.
//!
//! The sandbox reads one problem and three claims of [`check`]'s report, and this is where it
//! reads them: every Bearer token is judged by `check` itself, so every refusal carries
//! `check`'s own problem and words. A shortcut for valid tokens (the usual reader plus the
//! HMAC) saved about an eighth of a Bearer request's instructions, under the 20 % a fast path
//! must move a figure users see, so there is none (docs/performance.md).

use super::check::{Expectations, KeyRing, Keys, Options, check};
use crate::problem::Problem;
use crate::sdk::SdkSelection;
use serde_json::Value;

/// The HTTP status of a refused token (401 Unauthorized): the sandbox answers every refusal
/// of [`verdict`] with it, `messageId` being the problem code.
pub const REFUSED_STATUS: u16 = 401;

/// The options the server judges a Bearer token with: the key its `kid` names in `ring`, the
/// App Profile's application code, the signature required, no SDK (the token has already left
/// the phone). The sandbox authenticates with them, and `gen --break` predicts its answer with
/// them.
pub fn server_options<'a>(
    now: i64,
    leeway: i64,
    ring: &'a (dyn KeyRing + Sync),
    app_code: &'a str,
) -> Options<'a> {
    Options {
        now,
        leeway,
        keys: Keys::Ring(ring),
        expect: Expectations {
            sub: None,
            app_code: Some(app_code),
            kid: None,
        },
        require_signature: true,
        sdk: SdkSelection::NONE,
    }
}

/// Who a valid token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub sub: String,
    pub jti: String,
    pub exp: i64,
}

/// Why a token was refused: the problem [`Report::primary_problem`](super::check::Report::primary_problem)
/// names, and the token's `sub` when it is a readable string (the request log names it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub problem: Problem,
    pub sub: Option<String>,
}

/// The judgement of one token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Result<Identity, Refusal>,
}

impl Verdict {
    /// The token's `sub` when it is a readable string, valid token or not.
    pub fn sub(&self) -> Option<&str> {
        match &self.outcome {
            Ok(identity) => Some(&identity.sub),
            Err(refusal) => refusal.sub.as_deref(),
        }
    }
}

/// Judges `token` as [`check`] does, answering only what a server needs.
pub fn verdict(token: &str, opts: &Options<'_>) -> Verdict {
    let report = check(token, opts);
    let claims = report.claims.as_ref();
    let claim = |name: &str| claims.and_then(|c| c.get(name));
    let sub = claim("sub").and_then(Value::as_str).map(str::to_owned);
    let refused = |problem: Problem| Refusal {
        problem,
        sub: sub.clone(),
    };
    let outcome = match report.primary_problem() {
        Some(p) => Err(refused(p.clone())),
        // A valid report has every mandatory claim with its type checked.
        None => match (
            claim("sub").and_then(Value::as_str),
            claim("jti").and_then(Value::as_str),
            claim("exp").and_then(Value::as_i64),
        ) {
            (Some(sub), Some(jti), Some(exp)) => Ok(Identity {
                sub: sub.into(),
                jti: jti.into(),
                exp,
            }),
            _ => Err(refused(Problem::new(
                crate::problem::Code::StructureInvalid,
                crate::problem::Source::Server,
                "the token lacks sub, jti or exp",
            ))),
        },
    };
    Verdict { outcome }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdk::SdkSelection;
    use crate::secret::HmacKey;
    use crate::token::check::Expectations;
    use crate::token::check::Keys;
    use crate::token::mint::{Claims, Minter};
    use std::collections::HashMap;

    fn mint(kid: &str, key: &[u8], claims: &Claims<'_>) -> String {
        Minter::new(kid, HmacKey::new(key)).mint(claims).0
    }

    fn claims(sub: &str, iat: i64, exp: i64) -> Claims<'_> {
        Claims {
            sub,
            app_code: "app",
            iat,
            exp,
            jti: "j-1",
            iss: Some("app"),
            extra: &[],
        }
    }

    #[test]
    fn a_minted_token_names_its_person_and_a_forged_one_gets_checks_words() {
        let ring: HashMap<String, HmacKey> = [("k".to_string(), HmacKey::new(b"secret"))].into();
        let opts = Options {
            keys: Keys::Ring(&ring),
            sdk: SdkSelection::NONE,
            require_signature: true,
            expect: Expectations {
                app_code: Some("app"),
                ..Expectations::default()
            },
            ..Options::at(1_500)
        };
        let good = mint("k", b"secret", &claims("alice", 1_000, 2_000));
        let want = Identity {
            sub: "alice".into(),
            jti: "j-1".into(),
            exp: 2_000,
        };
        assert_eq!(want.sub, *"alice");
        assert_eq!(verdict(&good, &opts).outcome, Ok(want));

        let forged = mint("k", b"other", &claims("alice", 1_000, 2_000));
        let v = verdict(&forged, &opts);
        assert_eq!(v.sub(), Some("alice"));
        let report = check(&forged, &opts);
        let refusal = v.outcome.unwrap_err();
        assert_eq!(refusal.problem, report.primary_problem().unwrap().clone());
        assert_eq!(refusal.problem.code, crate::problem::Code::SignatureInvalid);

        let expired = mint("k", b"secret", &claims("alice", 1_000, 1_500));
        assert_eq!(
            verdict(&expired, &opts).outcome.unwrap_err().problem.code,
            crate::problem::Code::Expired
        );
    }
}
