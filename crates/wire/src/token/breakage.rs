//! Tokens made to fail one way (`gen --break KIND`, `gen --from TOKEN --break KIND`, `replay
//! --break KIND`, the page's "Make it fail as"): each [`BreakKind`] changes one thing of what
//! `gen` makes for the same inputs (or of an edited token), as edits of [`super::edit`], and
//! [`predict`] says what the app will see: each SDK's verdict with the objects each plugin hands
//! the app (the `sdk` member of `check --json`, from [`check`] itself) and the answer of the
//! sandbox in JWT-only mode (from [`verdict`], which the sandbox authenticates with). Nothing
//! here is a table of expected outcomes: every verdict is computed. Pure: `now` is passed in.

use super::check::{Expectations, Keys, Options, check};
use super::edit::{EditError, Edited, Edits, Resigned};
use super::mint::{Claims, Minter};
use super::verdict::{REFUSED_STATUS, server_options, verdict};
use crate::color::Painter;
use crate::json::RawObject;
use crate::sdk::plugins::Plugin;
use crate::sdk::{PerPlatform, SdkSelection, SdkVerdict};
use crate::secret::HmacKey;
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::{self, Write as _};

/// One way to make a token fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BreakKind {
    /// `exp` in the past: both SDKs refuse before sending (`JWT_TOKEN_EXPIRED`).
    Expired,
    /// A mandatory claim missing: both SDKs refuse before sending
    /// (`JWT_TOKEN_STRUCTURE_INVALID`, each with its own message).
    Structure,
    /// Signed with another key: the SDKs send it, the server refuses it.
    Signature,
    /// `sub` is another user id: the SDKs send it, the server refuses the call for this user.
    User,
    /// `infobip-api-key` (and `iss`) another application code.
    AppCode,
    /// A `kid` the App Profile does not have.
    Kid,
}

impl BreakKind {
    /// Every kind, in the order the help and the documents list them.
    pub const ALL: [BreakKind; 6] = [
        BreakKind::Expired,
        BreakKind::Structure,
        BreakKind::Signature,
        BreakKind::User,
        BreakKind::AppCode,
        BreakKind::Kid,
    ];

    /// The name on the command line, in JSON and in the page API.
    pub fn name(self) -> &'static str {
        match self {
            BreakKind::Expired => "expired",
            BreakKind::Structure => "structure",
            BreakKind::Signature => "signature",
            BreakKind::User => "user",
            BreakKind::AppCode => "app-code",
            BreakKind::Kid => "kid",
        }
    }

    /// The kind with this [`name`](BreakKind::name).
    pub fn from_name(name: &str) -> Option<BreakKind> {
        BreakKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// What the kind changes, in a few words (the command line's help).
    pub fn summary(self) -> &'static str {
        match self {
            BreakKind::Expired => "exp in the past: both SDKs refuse it (JWT_TOKEN_EXPIRED)",
            BreakKind::Structure => {
                "the mandatory claim jti left out: both SDKs refuse it (JWT_TOKEN_STRUCTURE_INVALID)"
            }
            BreakKind::Signature => {
                "signed with another key: the SDKs send it, the server refuses it"
            }
            BreakKind::User => "sub is another user id: the server refuses the call for this user",
            BreakKind::AppCode => "infobip-api-key is another application code",
            BreakKind::Kid => "a kid the App Profile does not have",
        }
    }
}

impl Serialize for BreakKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// How many seconds before `now` an `expired` token's `exp` is.
pub const EXPIRED_AGO: i64 = 60;
/// The mandatory claim a `structure` token lacks: one claim that both SDKs name in their own
/// message, and one that no other rule reads (a missing `exp` or `sub` would also fail the
/// time or identity checks; the spec's plugin table shows exactly this case).
pub const DROPPED_CLAIM: &str = "jti";
/// Appended to the user id (`user`) and to the application code (`app-code`).
pub const OTHER_SUFFIX: &str = "-other";
/// Appended to the key id (`kid`).
pub const UNKNOWN_KID_SUFFIX: &str = "-unknown";
/// A `signature` token is signed with HMAC-SHA256(secret, this label) as its key: derived
/// from the secret, so the same inputs give the same token, and never the secret itself.
pub const SIGNATURE_KEY_LABEL: &[u8] = b"mmjwt gen --break signature";

/// What `gen` would make: the key id, the key and the claims of the intended token.
#[derive(Debug, Clone)]
pub struct Recipe<'a> {
    pub kid: &'a str,
    pub key: &'a HmacKey,
    pub claims: Claims<'a>,
}

impl<'a> Recipe<'a> {
    /// Who the intended token is for: its user id, application code, key id and key.
    pub fn identity(&self) -> Identity<'a> {
        Identity {
            user_id: self.claims.sub.to_owned(),
            app_code: self.claims.app_code.to_owned(),
            kid: self.kid.to_owned(),
            key: self.key,
        }
    }
}

/// Who a token is meant for, as the App Profile and the call have it: the user id, the
/// application code, the key id and its key. A kind changes one of these in the token, and
/// [`predict`] judges the broken token against them.
#[derive(Debug, Clone)]
pub struct Identity<'k> {
    pub user_id: String,
    pub app_code: String,
    pub kid: String,
    pub key: &'k HmacKey,
}

impl<'k> Identity<'k> {
    /// Who an edited token is meant for (`gen --from --break`): the `sub`, `infobip-api-key`
    /// and header `kid` it names after the edits, each a string, and the key it is signed with.
    pub fn named_by(token: &Edited, key: &'k HmacKey) -> Result<Identity<'k>, CannotBreak> {
        let text = |o: &RawObject, part: &'static str, name: &'static str| {
            o.get(name)
                .and_then(|m| m.value.as_str())
                .map(str::to_owned)
                .ok_or(CannotBreak::NoIdentity(part, name))
        };
        Ok(Identity {
            user_id: text(&token.payload, "payload", "sub")?,
            app_code: text(&token.payload, "payload", "infobip-api-key")?,
            kid: text(&token.header, "header", "kid")?,
            key,
        })
    }
}

/// Why a kind cannot break a token (an edited one: a token `gen` makes has all it needs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CannotBreak {
    /// The member that names who the token is for is missing or not a string.
    NoIdentity(&'static str, &'static str),
    /// `expired` keeps the lifetime `exp - iat`, and one of them is not integer seconds.
    Times,
    /// `structure` leaves out [`DROPPED_CLAIM`], and the token has none.
    NoDroppedClaim,
    /// The parts could not be read or edited.
    Edit(EditError),
}

impl fmt::Display for CannotBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CannotBreak::NoIdentity(part, name) => write!(
                f,
                "the prediction judges the token against the {name} it names, and the edited {part} has no {name} string (set one with {})",
                match *name {
                    "sub" => "--user-id",
                    "infobip-api-key" => "--app-code",
                    _ => "--key-id",
                }
            ),
            CannotBreak::Times => f.write_str(
                "the lifetime exp - iat is kept, and the edited token's iat and exp are not both integer seconds (set them with --ttl, or --now and --exp)",
            ),
            CannotBreak::NoDroppedClaim => write!(
                f,
                "the mandatory claim {DROPPED_CLAIM} is left out, and the edited token has none (it is already refused as JWT_TOKEN_STRUCTURE_INVALID: use another kind, or set it with --jti)"
            ),
            CannotBreak::Edit(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for CannotBreak {}

/// A broken token: the kind, the token with its header and payload as encoded in it, and
/// what was changed.
#[derive(Debug, Clone)]
pub struct Broken {
    pub kind: BreakKind,
    /// The token; its `changes` and `notes` are those of the edits made before the break.
    pub made: Resigned,
    /// What was changed, in a sentence (`--break expired: ...`).
    pub change: String,
}

impl Broken {
    /// The `exp` written, when it is integer seconds.
    pub fn exp(&self) -> Option<i64> {
        self.made.payload.get("exp").and_then(|m| m.value.as_i64())
    }
}

/// The key a `signature` token is signed with instead of `key`.
fn signature_key(key: &HmacKey) -> HmacKey {
    HmacKey::new(&key.sign(SIGNATURE_KEY_LABEL))
}

/// Makes the token `recipe` describes, broken as `kind` says: `gen`'s token, broken as
/// [`break_edited`] breaks any token. `now` places an `expired` token's `exp`.
pub fn make(kind: BreakKind, recipe: &Recipe<'_>, now: i64) -> Result<Broken, CannotBreak> {
    let mut minter = Minter::new(recipe.kid, recipe.key.clone());
    let (_, payload_json) = minter.mint(&recipe.claims);
    let token =
        Edited::from_json(minter.header_json(), &payload_json).map_err(CannotBreak::Edit)?;
    break_edited(kind, token, &recipe.identity(), now)
}

/// Breaks `token` (made or edited, not yet signed; meant for `intended`) as `kind` says: each
/// kind is edits of [`crate::token::edit`], so every member the kind does not touch keeps its
/// bytes, and the token is signed with `intended.key` (`signature`: a key derived from it).
pub fn break_edited(
    kind: BreakKind,
    mut token: Edited,
    intended: &Identity<'_>,
    now: i64,
) -> Result<Broken, CannotBreak> {
    let quoted = |s: &str| Value::String(s.to_owned()).to_string();
    let mut edits = Edits::default();
    let mut key = intended.key.clone();
    let change = match kind {
        BreakKind::Expired => {
            let time = |name: &str| token.payload.get(name).and_then(|m| m.value.as_i64());
            let (Some(iat), Some(exp)) = (time("iat"), time("exp")) else {
                return Err(CannotBreak::Times);
            };
            // The lifetime is kept: the token is the one issued a lifetime and a minute ago.
            let lifetime = exp.saturating_sub(iat);
            let exp = now.saturating_sub(EXPIRED_AGO);
            edits.exp = Some(exp);
            edits.iat = Some(exp.saturating_sub(lifetime));
            format!(
                "exp is {EXPIRED_AGO} seconds before now and iat as much earlier (the lifetime kept)"
            )
        }
        BreakKind::Structure => {
            if token.payload.get(DROPPED_CLAIM).is_none() {
                return Err(CannotBreak::NoDroppedClaim);
            }
            edits.unset.push(DROPPED_CLAIM.to_owned());
            format!("the mandatory claim {DROPPED_CLAIM} is left out")
        }
        BreakKind::Signature => {
            key = signature_key(intended.key);
            "signed with a key derived from the secret instead of the secret".to_string()
        }
        BreakKind::User => {
            let other = format!("{}{OTHER_SUFFIX}", intended.user_id);
            let change = format!(
                "sub is {} instead of {}",
                quoted(&other),
                quoted(&intended.user_id)
            );
            edits.user_id = Some(other);
            change
        }
        BreakKind::AppCode => {
            // `iss` follows where it is the application code (the edit's rule): a backend set
            // up with another application writes its code in both.
            let other = format!("{}{OTHER_SUFFIX}", intended.app_code);
            let change = format!(
                "infobip-api-key is {} instead of {}",
                quoted(&other),
                quoted(&intended.app_code)
            );
            edits.app_code = Some(other);
            change
        }
        BreakKind::Kid => {
            let kid = format!("{}{UNKNOWN_KID_SUFFIX}", intended.kid);
            let change = format!(
                "kid is {}, a key id the App Profile does not have",
                quoted(&kid)
            );
            edits.key_id = Some(kid);
            change
        }
    };
    token.apply(&edits).map_err(CannotBreak::Edit)?;
    Ok(Broken {
        kind,
        made: token.sign(&key),
        change,
    })
}

/// What the server (the sandbox in JWT-only mode) answers the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerAnswer {
    /// Whether some SDK sends the token at all (one that refuses it sends nothing).
    pub reached: bool,
    /// Whether the server accepts the token.
    pub accepted: bool,
    /// The HTTP status of a refusal; `None` when accepted (the call's own status then).
    pub status: Option<u16>,
    /// The refusal's `messageId`: the problem code.
    pub message_id: Option<&'static str>,
    /// The refusal's text.
    pub text: Option<String>,
}

/// Which branch of the app's `catch` block runs on one platform: the SDK's code (`case
/// 'JWT_TOKEN_EXPIRED':`), `default` (the server's refusal), or none (no error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Branch {
    Sdk(&'static str),
    Default,
    None,
}

impl Branch {
    fn json(&self) -> Value {
        match self {
            Branch::Sdk(code) => Value::from(*code),
            Branch::Default => Value::from("default"),
            Branch::None => Value::Null,
        }
    }

    fn text(&self) -> String {
        match self {
            Branch::Sdk(code) => format!("case '{code}':"),
            Branch::Default => "default: (the server's refusal)".to_string(),
            Branch::None => "no error".to_string(),
        }
    }
}

/// What the app will see for a broken token: the `break` member of `gen --break --json`.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub kind: BreakKind,
    pub change: String,
    /// Each SDK's verdict, as `check` finds it.
    pub verdicts: PerPlatform<Option<SdkVerdict>>,
    /// The `sdk` member of `check --json` for the token: each verdict with its plugin objects.
    pub sdk: Value,
    pub server: ServerAnswer,
    pub branch: PerPlatform<Branch>,
}

impl Serialize for Prediction {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("kind", &self.kind)?;
        m.serialize_entry("change", &self.change)?;
        m.serialize_entry("sdk", &self.sdk)?;
        m.serialize_entry("server", &self.server)?;
        let branch: serde_json::Map<String, Value> = self
            .branch
            .iter()
            .map(|(p, b)| (p.name().to_owned(), b.json()))
            .collect();
        m.serialize_entry("branch", &branch)?;
        m.end()
    }
}

/// What the app will see for `broken`, judged against whom it was meant for (its user id,
/// application code, key id and key, as the App Profile and the call have them) at `now`.
pub fn predict(broken: &Broken, intended: &Identity<'_>, now: i64) -> Prediction {
    let expect = Expectations {
        sub: Some(&intended.user_id),
        app_code: Some(&intended.app_code),
        kid: Some(&intended.kid),
    };
    // What `check --secret --user-id --app-code --key-id` says of the token.
    let report = check(
        &broken.made.token,
        &Options {
            now,
            leeway: 0,
            keys: Keys::Single(intended.key),
            expect,
            require_signature: true,
            sdk: SdkSelection::BOTH,
        },
    );
    // The sandbox's own judgement: its keys by kid, its application code, no SDK; the call is
    // for the intended user, whose id the token's sub must be.
    let ring: HashMap<String, HmacKey> = [(intended.kid.clone(), intended.key.clone())].into();
    let mut server_opts = server_options(now, 0, &ring, &intended.app_code);
    server_opts.expect.sub = Some(&intended.user_id);
    let server = verdict(&broken.made.token, &server_opts);
    let reached = report
        .sdk
        .iter()
        .any(|(_, v)| v.as_ref().is_some_and(|v| v.accepted));
    let server = match server.outcome {
        Ok(_) => ServerAnswer {
            reached,
            accepted: true,
            status: None,
            message_id: None,
            text: None,
        },
        Err(r) => ServerAnswer {
            reached,
            accepted: false,
            status: Some(REFUSED_STATUS),
            message_id: Some(r.problem.code.as_str()),
            text: Some(r.problem.message),
        },
    };
    let branch = PerPlatform::from_fn(|p| match &report.sdk[p] {
        Some(v) if !v.accepted => Branch::Sdk(v.code.map_or("", |c| c.as_str())),
        _ if !server.accepted => Branch::Default,
        _ => Branch::None,
    });
    Prediction {
        kind: broken.kind,
        change: broken.change.clone(),
        sdk: super::report::sdk_json(&report),
        verdicts: report.sdk,
        server,
        branch,
    }
}

/// The token `recipe` describes broken as `kind` says, and what the app will see for it.
pub fn break_token(
    kind: BreakKind,
    recipe: &Recipe<'_>,
    now: i64,
) -> Result<(Broken, Prediction), CannotBreak> {
    let broken = make(kind, recipe, now)?;
    let prediction = predict(&broken, &recipe.identity(), now);
    Ok((broken, prediction))
}

/// The `gen --break --json` object: `gen --json`'s members for the broken token, and `break`,
/// the prediction. `mmjwt gen` and the page's API both answer it.
pub fn gen_json(broken: &Broken, prediction: &Prediction) -> Value {
    let mut v = super::mint::gen_json(
        &broken.made.token,
        &broken.made.header_json,
        &broken.made.payload_json,
        broken.exp(),
    );
    v["break"] = serde_json::to_value(prediction).unwrap_or(Value::Null);
    v
}

/// The prediction for people (stderr of `gen --break`): the change, each SDK's verdict with
/// the objects of the `shown` plugins, the server's answer, and the branch of the catch block.
pub fn text(p: &Prediction, shown: &[Plugin], paint: Painter) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {}",
        paint.label(&format!("--break {}:", p.kind.name())),
        p.change
    );
    for (platform, v) in p.verdicts.iter() {
        let Some(v) = v else { continue };
        let line = if v.accepted {
            "sends it".to_string()
        } else {
            format!(
                "refuses before sending: {} {}",
                paint.bad(v.code.map_or("", |c| c.as_str())),
                v.message.as_deref().unwrap_or("")
            )
        };
        let _ = writeln!(o, "  {:<8} {line}", platform.name());
        super::report::plugin_lines(&mut o, paint, platform, v, shown, false);
    }
    let s = &p.server;
    let answer = match (s.status, s.message_id) {
        (Some(status), Some(id)) => format!(
            "{status} {}: {}",
            paint.bad(id),
            s.text.as_deref().unwrap_or("")
        ),
        _ => paint.ok("accepts it"),
    };
    if s.reached {
        let _ = writeln!(o, "  {:<8} answers {answer}", "server");
    } else {
        let _ = writeln!(
            o,
            "  {:<8} not reached (it would answer {answer})",
            "server"
        );
    }
    // Platforms with the same branch share a line: "Android and iOS: case '...':".
    let mut groups: Vec<(&Branch, Vec<&str>)> = Vec::new();
    for (platform, b) in p.branch.iter() {
        match groups.iter_mut().find(|(g, _)| *g == b) {
            Some((_, names)) => names.push(platform.display()),
            None => groups.push((b, vec![platform.display()])),
        }
    }
    for (b, names) in groups {
        let _ = writeln!(o, "  {:<8} {}: {}", "catch", names.join(" and "), b.text());
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Code;
    use crate::sdk::Platform;

    /// The platforms a prediction has a verdict for.
    fn platforms(p: &Prediction) -> Vec<Platform> {
        p.verdicts
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(pl, _)| pl)
            .collect()
    }

    const NOW: i64 = 1_700_000_000;

    fn key() -> HmacKey {
        HmacKey::new(b"0123456789abcdef0123456789abcdef")
    }

    fn recipe(key: &HmacKey) -> Recipe<'_> {
        Recipe {
            kid: "k1",
            key,
            claims: Claims {
                sub: "alice",
                app_code: "app",
                iat: NOW,
                exp: NOW + 900,
                jti: "00000000-0000-4000-8000-000000000001",
                iss: Some("app"),
                extra: &[],
            },
        }
    }

    /// The token `gen` makes for the recipe, unbroken.
    fn intended(r: &Recipe<'_>) -> (String, String) {
        Minter::new(r.kid, r.key.clone()).mint(&r.claims)
    }

    fn claims_of(b: &Broken) -> serde_json::Map<String, Value> {
        serde_json::from_str(&b.made.payload_json).unwrap()
    }

    fn make(kind: BreakKind, r: &Recipe<'_>, now: i64) -> Broken {
        super::make(kind, r, now).unwrap()
    }

    fn break_token(kind: BreakKind, r: &Recipe<'_>, now: i64) -> (Broken, Prediction) {
        super::break_token(kind, r, now).unwrap()
    }

    #[test]
    fn names_are_unique_and_round_trip() {
        for k in BreakKind::ALL {
            assert_eq!(BreakKind::from_name(k.name()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), Value::from(k.name()));
        }
        assert_eq!(BreakKind::from_name("Expired"), None);
    }

    #[test]
    fn each_kind_changes_only_its_own_members() {
        let key = key();
        let r = recipe(&key);
        let (_, want_payload) = intended(&r);
        let want: serde_json::Map<String, Value> = serde_json::from_str(&want_payload).unwrap();
        for kind in BreakKind::ALL {
            let b = make(kind, &r, NOW);
            let got = claims_of(&b);
            let changed: Vec<&str> = want
                .iter()
                .filter(|(k, v)| got.get(*k) != Some(*v))
                .map(|(k, _)| k.as_str())
                .collect();
            let header: Value = serde_json::from_str(&b.made.header_json).unwrap();
            let expected: &[&str] = match kind {
                BreakKind::Expired => &["iat", "exp"],
                BreakKind::Structure => &["jti"],
                BreakKind::Signature | BreakKind::Kid => &[],
                BreakKind::User => &["sub"],
                BreakKind::AppCode => &["infobip-api-key", "iss"],
            };
            assert_eq!(changed, expected, "{kind:?}");
            assert_eq!(
                header["kid"],
                if kind == BreakKind::Kid {
                    "k1-unknown"
                } else {
                    "k1"
                },
                "{kind:?}"
            );
            // The token carries exactly the JSON reported.
            let parts: Vec<&str> = b.made.token.split('.').collect();
            assert_eq!(crate::b64::encode(b.made.payload_json.as_bytes()), parts[1]);
            assert_eq!(crate::b64::encode(b.made.header_json.as_bytes()), parts[0]);
        }
        let expired = claims_of(&make(BreakKind::Expired, &r, NOW));
        assert_eq!(expired["exp"], NOW - EXPIRED_AGO);
        assert_eq!(
            expired["exp"].as_i64().unwrap() - expired["iat"].as_i64().unwrap(),
            900
        );
    }

    #[test]
    fn the_same_inputs_give_the_same_broken_token() {
        let key = key();
        let r = recipe(&key);
        for kind in BreakKind::ALL {
            assert_eq!(
                make(kind, &r, NOW).made.token,
                make(kind, &r, NOW).made.token
            );
        }
        // Only the signature differs from the intended token for `signature`.
        let (good, _) = intended(&r);
        let bad = make(BreakKind::Signature, &r, NOW).made.token;
        assert_eq!(
            good.rsplit_once('.').unwrap().0,
            bad.rsplit_once('.').unwrap().0
        );
        assert_ne!(good, bad);
    }

    #[test]
    fn predictions_agree_with_check_and_verdict() {
        let key = key();
        let r = recipe(&key);
        for kind in BreakKind::ALL {
            let (b, p) = break_token(kind, &r, NOW);
            let (sdk_refuses, server_code) = match kind {
                BreakKind::Expired => (Some(Code::Expired), Code::Expired),
                BreakKind::Structure => (Some(Code::StructureInvalid), Code::StructureInvalid),
                BreakKind::Signature => (None, Code::SignatureInvalid),
                BreakKind::User => (None, Code::SubMismatch),
                BreakKind::AppCode => (None, Code::AppCodeMismatch),
                BreakKind::Kid => (None, Code::KidUnknown),
            };
            assert_eq!(platforms(&p), Platform::ALL, "{kind:?}");
            for (platform, verdict) in p.verdicts.iter() {
                let verdict = verdict.as_ref().unwrap();
                assert_eq!(verdict.code, sdk_refuses, "{kind:?} {platform:?}");
                assert_eq!(
                    p.sdk[platform.name()]["accepted"],
                    Value::from(sdk_refuses.is_none())
                );
                let want = match sdk_refuses {
                    Some(code) => Branch::Sdk(code.as_str()),
                    None => Branch::Default,
                };
                assert_eq!(p.branch[platform], want);
            }
            assert_eq!(p.server.reached, sdk_refuses.is_none(), "{kind:?}");
            assert_eq!(p.server.message_id, Some(server_code.as_str()), "{kind:?}");
            assert_eq!(p.server.status, Some(REFUSED_STATUS));
            assert_eq!(p.kind, b.kind);
        }
        // The intended token itself: accepted everywhere, no branch runs.
        let (good, payload) = intended(&r);
        let mut made = crate::token::edit::edit_and_sign(&good, &Edits::default(), &key).unwrap();
        assert_eq!((&made.token, &made.payload_json), (&good, &payload));
        made.changes.clear();
        let unbroken = Broken {
            kind: BreakKind::User,
            made,
            change: String::new(),
        };
        let p = predict(&unbroken, &r.identity(), NOW);
        assert!(p.server.accepted && p.server.reached);
        assert!(p.branch.iter().all(|(_, b)| *b == Branch::None));
    }

    #[test]
    fn an_edited_token_breaks_as_gens_and_a_kind_that_cannot_apply_says_why() {
        let key = key();
        let r = recipe(&key);
        let (good, _) = intended(&r);
        // gen's token read back as an edited one breaks into gen's broken token, byte for byte.
        for kind in BreakKind::ALL {
            let edited = crate::token::edit::edit(&good, &Edits::default()).unwrap();
            let who = Identity::named_by(&edited, &key).unwrap();
            assert_eq!(
                (&who.user_id, &who.app_code, &who.kid),
                (
                    &r.identity().user_id,
                    &r.identity().app_code,
                    &r.identity().kid
                )
            );
            let b = break_edited(kind, edited, &who, NOW).unwrap();
            assert_eq!(b.made.token, make(kind, &r, NOW).made.token, "{kind:?}");
        }
        let edited = |payload: &str| {
            Edited::from_json(r#"{"alg":"HS256","typ":"JWT","kid":"k1"}"#, payload).unwrap()
        };
        let floats = edited(r#"{"sub":"a","infobip-api-key":"c","iat":1.0,"exp":2,"jti":"j"}"#);
        let who = Identity::named_by(&floats, &key).unwrap();
        assert_eq!(
            break_edited(BreakKind::Expired, floats.clone(), &who, NOW).unwrap_err(),
            CannotBreak::Times
        );
        let no_jti = edited(r#"{"sub":"a","infobip-api-key":"c","iat":1,"exp":2}"#);
        assert_eq!(
            break_edited(BreakKind::Structure, no_jti, &who, NOW).unwrap_err(),
            CannotBreak::NoDroppedClaim
        );
        assert_eq!(
            Identity::named_by(&edited(r#"{"sub":1,"infobip-api-key":"c"}"#), &key).unwrap_err(),
            CannotBreak::NoIdentity("payload", "sub")
        );
        assert!(
            CannotBreak::NoIdentity("header", "kid")
                .to_string()
                .ends_with("the edited header has no kid string (set one with --key-id)")
        );
    }

    #[test]
    fn the_json_is_gens_with_the_prediction() {
        let key = key();
        let (b, p) = break_token(BreakKind::Kid, &recipe(&key), NOW);
        let v = gen_json(&b, &p);
        assert_eq!(v["token"], b.made.token.as_str());
        assert_eq!(v["header"]["kid"], "k1-unknown");
        assert_eq!(v["break"]["kind"], "kid");
        assert_eq!(v["break"]["server"]["message_id"], "KID_UNKNOWN");
        assert_eq!(v["break"]["branch"]["ios"], "default");
        assert_eq!(v["break"]["sdk"]["android"]["plugins"], Value::Null);
    }

    #[test]
    fn each_sdk_names_the_dropped_claim_in_its_own_words() {
        let key = key();
        let (_, p) = break_token(BreakKind::Structure, &recipe(&key), NOW);
        let message = |pl: Platform| p.verdicts[pl].as_ref().unwrap().message.clone().unwrap();
        assert_eq!(
            message(Platform::Android),
            "Token payload is missing mandatory claim jti"
        );
        assert_eq!(message(Platform::Ios), "Missing JWT claims: [\"jti\"]");
    }

    #[test]
    fn the_text_names_each_platform_the_server_and_the_branch() {
        let key = key();
        let (_, p) = break_token(BreakKind::Expired, &recipe(&key), NOW);
        let t = text(&p, &[Plugin::Flutter], Painter::plain());
        assert!(t.starts_with("--break expired: exp is 60 seconds"), "{t}");
        assert!(
            t.contains("  android  refuses before sending: JWT_TOKEN_EXPIRED"),
            "{t}"
        );
        assert!(t.contains("PlatformException(JWT_TOKEN_EXPIRED"), "{t}");
        assert!(
            t.contains("  server   not reached (it would answer 401 JWT_TOKEN_EXPIRED"),
            "{t}"
        );
        assert!(
            t.contains("  catch    Android and iOS: case 'JWT_TOKEN_EXPIRED':"),
            "{t}"
        );
        let (_, p) = break_token(BreakKind::Signature, &recipe(&key), NOW);
        let t = text(&p, &[], Painter::plain());
        assert!(t.contains("  ios      sends it\n"), "{t}");
        assert!(
            t.contains("  server   answers 401 SIGNATURE_INVALID"),
            "{t}"
        );
        assert!(
            t.contains("Android and iOS: default: (the server's refusal)"),
            "{t}"
        );
        assert!(!t.contains("PlatformException"));
    }
}
