//! Who is calling: the `Authorization` header read as `App <appCode>` or `Bearer <jwt>`.
//! Bearer tokens are judged by [`crate::token::verdict::verdict`]: the rules `mmjwt check`
//! applies (server checks only, keys looked up by `kid`, the app code expected as
//! `infobip-api-key`); check's primary problem becomes the `messageId`.
//! Also the optional `jti` replay cache.

use super::api::{ApiError, message_id};
use crate::secret::HmacKey;
use crate::token::check::KeyRing;
use crate::token::pitfalls::KeyVariants;
use crate::token::verdict::{Identity, server_options, verdict};
use http::{HeaderMap, header};
use std::collections::HashMap;
use subtle::ConstantTimeEq as _;

/// What the request log may say about the caller: the scheme and a token's `sub`, never the
/// token or the app code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum AuthNote {
    #[default]
    None,
    App,
    Bearer {
        sub: Option<String>,
    },
    Other,
}

impl AuthNote {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            AuthNote::None => "none",
            AuthNote::App => "App",
            AuthNote::Bearer { .. } => "Bearer",
            AuthNote::Other => "other",
        }
    }

    pub(crate) fn sub(&self) -> Option<&str> {
        match self {
            AuthNote::Bearer { sub } => sub.as_deref(),
            _ => None,
        }
    }
}

/// The configuration authentication needs.
#[derive(Debug)]
pub(crate) struct Authenticator<'a> {
    pub app_code: &'a str,
    pub keys: &'a HashMap<String, HmacKey>,
    /// Per kid, the keys of a misused secret (may be empty).
    pub variants: &'a HashMap<String, KeyVariants>,
    pub leeway: i64,
}

/// Up to this many keys, a kid is looked up by comparing it with each.
const SCAN_KEYS: usize = 4;

/// The configured keys with their variants, as the check core looks them up.
struct Ring<'a> {
    keys: &'a HashMap<String, HmacKey>,
    variants: &'a HashMap<String, KeyVariants>,
}

impl KeyRing for Ring<'_> {
    fn key_for(&self, kid: &str) -> Option<&HmacKey> {
        // A sandbox has one key or a few: comparing kids is cheaper than SipHashing one.
        if self.keys.len() <= SCAN_KEYS {
            self.keys
                .iter()
                .find_map(|(k, key)| (k.as_str() == kid).then_some(key))
        } else {
            self.keys.get(kid)
        }
    }

    fn variants_for(&self, kid: &str) -> Option<&KeyVariants> {
        self.variants.get(kid)
    }
}

/// The outcome of reading the header: who, and what to log either way.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub note: AuthNote,
    pub result: Result<Caller, ApiError>,
}

/// A caller that passed authentication: the app code, or a verified token's identity and
/// lifetime (for the replay cache).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Caller {
    App,
    Bearer(Identity),
}

impl Authenticator<'_> {
    /// Who sent `headers`. `log_sub`: whether the note should name a token's `sub` (only a
    /// request log or a follower of it reads it; without one, no copy of it is made).
    pub(crate) fn authenticate(&self, headers: &HeaderMap, now: i64, log_sub: bool) -> Outcome {
        let mut values = headers.get_all(header::AUTHORIZATION).iter();
        let Some(value) = values.next() else {
            return refuse(
                AuthNote::None,
                message_id::AUTHORIZATION_MISSING,
                "no Authorization header; send 'App <application code>' or 'Bearer <JWT>'",
            );
        };
        if values.next().is_some() {
            return refuse(
                AuthNote::Other,
                message_id::AUTHORIZATION_INVALID,
                "more than one Authorization header",
            );
        }
        let Ok(value) = value.to_str() else {
            return refuse(
                AuthNote::Other,
                message_id::AUTHORIZATION_INVALID,
                "the Authorization header is not visible ASCII",
            );
        };
        let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
        let credential = rest.trim_start_matches(' ');
        // Authentication schemes are case-insensitive (RFC 9110 §11.1).
        if scheme.eq_ignore_ascii_case("App") {
            let ok: bool = credential.as_bytes().ct_eq(self.app_code.as_bytes()).into();
            if ok {
                Outcome {
                    note: AuthNote::App,
                    result: Ok(Caller::App),
                }
            } else {
                refuse(
                    AuthNote::App,
                    message_id::INVALID_APPLICATION_CODE,
                    "Invalid Application Id",
                )
            }
        } else if scheme.eq_ignore_ascii_case("Bearer") {
            self.bearer(credential, now, log_sub)
        } else {
            refuse(
                AuthNote::Other,
                message_id::AUTHORIZATION_INVALID,
                "the Authorization scheme must be App or Bearer",
            )
        }
    }

    fn bearer(&self, token: &str, now: i64, log_sub: bool) -> Outcome {
        let ring = Ring {
            keys: self.keys,
            variants: self.variants,
        };
        let opts = server_options(now, self.leeway, &ring, self.app_code);
        // The judgement without the report `check` would build around it (same rules, same
        // problem and words; tests hold the two equal).
        let v = verdict(token, &opts);
        let note = AuthNote::Bearer {
            sub: v.sub().filter(|_| log_sub).map(for_log),
        };
        Outcome {
            note,
            result: match v.outcome {
                Ok(identity) => Ok(Caller::Bearer(identity)),
                Err(r) => Err(ApiError::unauthorized(
                    r.problem.code.as_str(),
                    r.problem.message,
                )),
            },
        }
    }
}

/// A `sub` as the log shows it: at most 64 characters (the token may be 8 KiB of anything).
fn for_log(sub: &str) -> String {
    // At most 64 bytes is at most 64 characters: no need to count them.
    if sub.len() > 64 && sub.chars().count() > 64 {
        format!("{}…", sub.chars().take(64).collect::<String>())
    } else {
        sub.to_owned()
    }
}

fn refuse(note: AuthNote, id: &'static str, text: &str) -> Outcome {
    Outcome {
        note,
        result: Err(ApiError::unauthorized(id, text)),
    }
}

/// `jti`s seen within their lifetime. Entries leave when their token expires; a sweep runs
/// whenever the map has doubled since the last one, so the cost stays amortised O(1) and the
/// memory bounded by the tokens still alive.
#[derive(Debug, Default)]
pub struct JtiCache {
    seen: HashMap<String, i64>,
    sweep_at: usize,
}

impl JtiCache {
    /// Records `jti` (valid until `exp`); `false` when it was already seen and has not expired.
    pub fn first_use(&mut self, jti: &str, exp: i64, now: i64) -> bool {
        if let Some(&until) = self.seen.get(jti)
            && until > now
        {
            return false;
        }
        if self.seen.len() >= self.sweep_at {
            self.seen.retain(|_, until| *until > now);
            self.sweep_at = (self.seen.len() * 2).max(1024);
        }
        self.seen.insert(jti.to_owned(), exp);
        true
    }

    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn jti_cache_forgets_expired_tokens() {
        let mut c = JtiCache::default();
        assert!(c.first_use("a", 100, 0));
        assert!(!c.first_use("a", 100, 99));
        assert!(c.first_use("a", 200, 100), "expired entries may be reused");
        for i in 0..5000 {
            assert!(c.first_use(&i.to_string(), 150, 120));
        }
        // At now=160 every numbered entry is expired; the sweep that growth triggers drops them.
        for i in 0..5000 {
            assert!(c.first_use(&format!("late{i}"), 300, 160));
        }
        assert_eq!(c.len(), 5001, "\"a\" and the late entries remain");
        assert!(
            c.first_use("0", 300, 160),
            "an expired jti is accepted again"
        );
    }

    #[test]
    fn kids_are_found_by_scanning_as_by_hashing() {
        // Up to SCAN_KEYS keys the kid is compared with each, beyond that hashed: both answer
        // the key the map holds for it, and nothing for any other kid.
        let variants = HashMap::new();
        for n in 0..=SCAN_KEYS + 2 {
            let keys: HashMap<String, HmacKey> = (0..n)
                .map(|i| {
                    (
                        format!("kid-{i}"),
                        HmacKey::new(format!("secret-{i}").as_bytes()),
                    )
                })
                .collect();
            let ring = Ring {
                keys: &keys,
                variants: &variants,
            };
            for i in 0..=n {
                let kid = format!("kid-{i}");
                let found = ring.key_for(&kid).map(|k| k.sign(b"m"));
                assert_eq!(
                    found,
                    keys.get(&kid).map(|k| k.sign(b"m")),
                    "{n} keys, {kid}"
                );
                assert_eq!(found.is_some(), i < n);
            }
            assert!(ring.key_for("kid-").is_none() && ring.key_for("").is_none());
        }
    }

    /// Runs `test` with an authenticator for app code `code` and no keys.
    fn without_keys(test: impl FnOnce(&Authenticator<'_>)) {
        let (keys, variants) = (HashMap::new(), HashMap::new());
        test(&Authenticator {
            app_code: "code",
            keys: &keys,
            variants: &variants,
            leeway: 0,
        });
    }

    #[test]
    fn a_bearer_note_names_the_sub_only_when_asked_to() {
        without_keys(|a| {
            // Unsigned and unknown kid: refused, but its sub is readable.
            let token =
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsifQ.eyJzdWIiOiJhbGljZSJ9.c2ln";
            let mut h = HeaderMap::new();
            h.insert(
                header::AUTHORIZATION,
                HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
            );
            let logged = a.authenticate(&h, 0, true);
            assert_eq!(logged.note.sub(), Some("alice"));
            let quiet = a.authenticate(&h, 0, false);
            assert_eq!(quiet.note, AuthNote::Bearer { sub: None });
            assert_eq!(quiet.result, logged.result);
            assert!(quiet.result.is_err());
        });
    }

    #[test]
    fn refused_tokens_get_the_status_the_prediction_names() {
        // `gen --break` predicts the sandbox's answer with this constant.
        assert_eq!(
            ApiError::unauthorized("x", "y").status.as_u16(),
            crate::token::verdict::REFUSED_STATUS
        );
    }

    #[test]
    fn log_subs_are_cut_short() {
        assert_eq!(for_log("alice"), "alice");
        let long = "x".repeat(500);
        assert_eq!(for_log(&long).chars().count(), 65);
    }

    #[test]
    fn app_scheme_is_case_insensitive_and_code_exact() {
        without_keys(|a| {
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, HeaderValue::from_static("app code"));
            assert_eq!(a.authenticate(&h, 0, true).result, Ok(Caller::App));
            h.insert(header::AUTHORIZATION, HeaderValue::from_static("App cod"));
            let e = a.authenticate(&h, 0, true).result.unwrap_err();
            assert_eq!(
                (e.message_id, e.text.as_str()),
                ("1", "Invalid Application Id")
            );
            h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic x"));
            let e = a.authenticate(&h, 0, true).result.unwrap_err();
            assert_eq!(e.message_id, message_id::AUTHORIZATION_INVALID);
            let e = a
                .authenticate(&HeaderMap::new(), 0, true)
                .result
                .unwrap_err();
            assert_eq!(e.message_id, message_id::AUTHORIZATION_MISSING);
        });
    }
}
