//! The judgement without the report: what the sandbox needs to answer a Bearer request (the
//! problem it answers with, or who the valid token names), and nothing it would drop.
//!
//! [`check`] builds a full [`Report`](super::check::Report): about twenty named steps, the
//! header and claims as JSON values, each SDK's verdict. The sandbox reads one problem and
//! three claims of it. [`verdict`] first tries a fast path that can only say "valid": it reads
//! the usual token shape (canonical base64url, flat JSON objects, see
//! [`scan_flat`]) into borrowed slices on the stack, applies every rule `check` applies on the
//! way to a valid report, and verifies the HMAC. Any doubt (an unusual shape, any failed rule,
//! an SDK emulation asked for) sends the token to [`check`] itself, so every refusal carries
//! `check`'s own problem and words. Nothing is cached: every token is decoded and verified.
//! Property tests hold the verdict equal to `check`'s primary problem.

use super::MAX_TOKEN_BYTES;
use super::check::{Keys, Options, check};
use crate::json::{FlatValue, scan_flat};
use crate::problem::Problem;
use crate::sdk::{MANDATORY_CLAIMS, MANDATORY_HEADERS};
use serde_json::Value;

/// Who a valid token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub sub: String,
    pub jti: String,
    pub exp: i64,
}

/// The judgement of one token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The token's `sub` when it is a readable string, valid token or not (the request log
    /// names it).
    pub sub: Option<String>,
    /// The identity, or the problem [`Report::primary_problem`](super::check::Report::primary_problem)
    /// names.
    pub outcome: Result<Identity, Problem>,
}

/// Judges `token` as [`check`] does, answering only what a server needs.
pub fn verdict(token: &str, opts: &Options<'_>) -> Verdict {
    if let Some(identity) = fast_valid(token, opts) {
        return Verdict {
            sub: Some(identity.sub.clone()),
            outcome: Ok(identity),
        };
    }
    let report = check(token, opts);
    let claims = report.claims.as_ref();
    let claim = |name: &str| claims.and_then(|c| c.get(name));
    let sub = claim("sub").and_then(Value::as_str).map(str::to_owned);
    let outcome = match report.primary_problem() {
        Some(p) => Err(p.clone()),
        // A valid report has every mandatory claim with its type checked.
        None => match (
            claim("sub").and_then(Value::as_str),
            claim("jti").and_then(Value::as_str),
            claim("exp").and_then(Value::as_i64),
        ) {
            (Some(sub), Some(jti), Some(exp)) => Ok(Identity {
                sub: sub.to_owned(),
                jti: jti.to_owned(),
                exp,
            }),
            _ => Err(Problem::new(
                crate::problem::Code::StructureInvalid,
                crate::problem::Source::Server,
                "the token lacks sub, jti or exp",
            )),
        },
    };
    Verdict { sub, outcome }
}

/// The decoded sizes the fast path takes (real headers are ~60 bytes, payloads ~250, a
/// signature 32). Larger segments go to [`check`]; the buffers live on the stack, so their
/// size is what each call clears.
const HEADER_MAX: usize = 512;
const PAYLOAD_MAX: usize = 2048;
const SIGNATURE_MAX: usize = 48;

/// More members than this and the fast path steps aside (real tokens have 3 and 7).
const MAX_MEMBERS: usize = 16;

/// The members of a flat object, borrowed from its decoded text; `None` when a name repeats
/// (a `DUPLICATE_MEMBER` for `check` to word) or there are too many to keep.
struct Flat<'a> {
    members: [(&'a str, FlatValue<'a>); MAX_MEMBERS],
    len: usize,
}

impl<'a> Flat<'a> {
    fn read(bytes: &'a [u8]) -> Option<Flat<'a>> {
        let mut f = Flat {
            members: [("", FlatValue::Null); MAX_MEMBERS],
            len: 0,
        };
        let mut fits = true;
        let whole = scan_flat(bytes, |name, value| {
            if f.len == MAX_MEMBERS || f.members[..f.len].iter().any(|(n, _)| *n == name) {
                fits = false;
            } else {
                f.members[f.len] = (name, value);
                f.len += 1;
            }
        });
        (whole && fits).then_some(f)
    }

    fn get(&self, name: &str) -> Option<FlatValue<'a>> {
        self.members[..self.len]
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, v)| v)
    }

    fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// A string member equal to `want`.
    fn is(&self, name: &str, want: &str) -> bool {
        self.get(name).is_some_and(|v| v.as_str() == Some(want))
    }

    /// A non-empty string member.
    fn text(&self, name: &str) -> Option<&'a str> {
        match self.get(name) {
            Some(FlatValue::Str(s)) if !s.is_empty() => Some(s),
            _ => None,
        }
    }
}

/// A non-empty segment's canonical base64url, decoded into `buf` (`None` when it does not fit).
fn decode<'b>(segment: &str, buf: &'b mut [u8]) -> Option<&'b [u8]> {
    if segment.is_empty() || segment.len() / 4 * 3 > buf.len() {
        return None;
    }
    let n = crate::b64::decode_strict_into(segment, buf)?;
    Some(&buf[..n])
}

/// The fast path alone (public for the tests that hold it to [`check`]): the identity when
/// `check` would find no problem at all; `None` when in doubt. Every test here is one `check`
/// makes on the way to a valid report (its step named in the comment), so this can only step
/// aside, never overrule.
pub fn fast_valid(token: &str, opts: &Options<'_>) -> Option<Identity> {
    // The SDK emulations have their own rules; the sandbox never asks for them.
    if opts.sdk.android || opts.sdk.ios || token.len() > MAX_TOKEN_BYTES {
        return None;
    }
    // segments
    let mut dots = memchr::memchr_iter(b'.', token.as_bytes());
    let (first_dot, second_dot) = (dots.next()?, dots.next()?);
    if dots.next().is_some() {
        return None;
    }
    let (h64, p64, s64) = (
        &token[..first_dot],
        &token[first_dot + 1..second_dot],
        &token[second_dot + 1..],
    );
    // header encoding, payload encoding, signature encoding (a signature must be 32 bytes)
    let mut hbuf = [0u8; HEADER_MAX];
    let mut pbuf = [0u8; PAYLOAD_MAX];
    let mut sbuf = [0u8; SIGNATURE_MAX];
    let header = decode(h64, &mut hbuf)?;
    let payload = decode(p64, &mut pbuf)?;
    let signature = decode(s64, &mut sbuf)?;
    if signature.len() != 32 {
        return None;
    }
    // header JSON, payload JSON: strict objects without repeated names
    let head = Flat::read(header)?;
    let body = Flat::read(payload)?;
    // header members, alg, header typ, kid, crit
    if !MANDATORY_HEADERS.iter().all(|name| head.has(name))
        || !head.is("alg", "HS256")
        || !head.is("typ", "JWT")
        || head.has("crit")
    {
        return None;
    }
    let kid = head.text("kid")?;
    // claims present, claim typ, sub, infobip-api-key, jti
    if !MANDATORY_CLAIMS.iter().all(|name| body.has(name)) || !body.is("typ", "Bearer") {
        return None;
    }
    let sub = body.text("sub")?;
    let app_code = body.text("infobip-api-key")?;
    let jti = body.text("jti")?;
    // iat, exp, exp after iat, nbf: integers, in check's arithmetic
    let (now, leeway) = (i128::from(opts.now), i128::from(opts.leeway));
    let iat = body.get("iat")?.as_i64()?;
    let exp = body.get("exp")?.as_i64()?;
    let nbf = match body.get("nbf") {
        None => None,
        Some(v) => Some(v.as_i64()?),
    };
    if i128::from(iat) > now + leeway
        || now >= i128::from(exp) + leeway
        || exp <= iat
        || nbf.is_some_and(|nbf| i128::from(nbf) > now + leeway)
    {
        return None;
    }
    // expected sub, expected app code, expected kid
    let want = &opts.expect;
    if want.sub.is_some_and(|x| x != sub)
        || want.app_code.is_some_and(|x| x != app_code)
        || want.kid.is_some_and(|x| x != kid)
    {
        return None;
    }
    // signature
    let signing_input = &token.as_bytes()[..second_dot];
    let verified = match opts.keys {
        Keys::None => !opts.require_signature,
        // A key's variants only ever word a failure; a valid token never needs them.
        Keys::Single(k) | Keys::SingleWithVariants(k, _) => k.verify(signing_input, signature),
        Keys::Ring(ring) => ring
            .key_for(kid)
            .is_some_and(|k| k.verify(signing_input, signature)),
    };
    verified.then(|| Identity {
        sub: sub.to_owned(),
        jti: jti.to_owned(),
        exp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdk::SdkSelection;
    use crate::secret::HmacKey;
    use crate::token::check::Expectations;
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
    fn a_minted_token_takes_the_fast_path_and_a_forged_one_gets_checks_words() {
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
        assert_eq!(fast_valid(&good, &opts), Some(want.clone()));
        assert_eq!(verdict(&good, &opts).outcome, Ok(want));

        let forged = mint("k", b"other", &claims("alice", 1_000, 2_000));
        assert_eq!(fast_valid(&forged, &opts), None);
        let v = verdict(&forged, &opts);
        assert_eq!(v.sub.as_deref(), Some("alice"));
        let report = check(&forged, &opts);
        assert_eq!(v.outcome, Err(report.primary_problem().unwrap().clone()));
        assert_eq!(
            v.outcome.unwrap_err().code,
            crate::problem::Code::SignatureInvalid
        );

        let expired = mint("k", b"secret", &claims("alice", 1_000, 1_500));
        assert_eq!(fast_valid(&expired, &opts), None);
        assert_eq!(
            verdict(&expired, &opts).outcome.unwrap_err().code,
            crate::problem::Code::Expired
        );
    }
}
