//! Judging a token: what each SDK says before sending it, what the server would reject, whether
//! it matches what the user expects, and whether the signature verifies. Every problem found is
//! reported, not only the first. Pure: the caller passes `now` and the keys.
//!
//! The reference for every rule: the batch line's fast path ([`quick`](super::quick)) takes
//! only what `token::usual` accepts and hands every other token to this function, whose time
//! arithmetic (`usual::TimeFindings`) it shares. The sandbox's [`verdict`](super::verdict) is
//! this function's primary problem.

use super::MAX_TOKEN_BYTES;
use super::pitfalls::{self, KeyVariants};
use super::usual::TimeFindings;
use crate::b64;
use crate::json::{Members, StrictObject, kind_of, parse_object};
use crate::problem::{Code, Problem, Source, Warn, Warning, worst_exit};
use crate::sdk::{
    self, MANDATORY_CLAIMS, MANDATORY_HEADERS, PerPlatform, Platform, SdkSelection, SdkVerdict,
};
use crate::secret::HmacKey;
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;

/// Looks keys up by `kid` (the sandbox's configured keys).
pub trait KeyRing {
    fn key_for(&self, kid: &str) -> Option<&HmacKey>;

    /// The mistaken keys to try when `kid`'s key does not verify (see [`KeyVariants`]).
    fn variants_for(&self, _kid: &str) -> Option<&KeyVariants> {
        None
    }
}

impl KeyRing for HashMap<String, HmacKey> {
    fn key_for(&self, kid: &str) -> Option<&HmacKey> {
        self.get(kid)
    }
}

/// Which key verifies the signature.
#[derive(Clone, Copy)]
pub enum Keys<'a> {
    /// No secret: the signature is not verified.
    None,
    /// One secret, used whatever the `kid` says (a `kid` mismatch is an expectation problem).
    Single(&'a HmacKey),
    /// [`Keys::Single`], and on a mismatch the keys a mistaken signer would have used
    /// (`SECRET_USED_AS_TEXT`).
    SingleWithVariants(&'a HmacKey, &'a KeyVariants),
    /// The key named by `kid`; an unknown `kid` is `KID_UNKNOWN`.
    Ring(&'a (dyn KeyRing + Sync)),
}

impl std::fmt::Debug for Keys<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Keys::None => "Keys::None",
            Keys::Single(_) => "Keys::Single([REDACTED])",
            Keys::SingleWithVariants(..) => "Keys::SingleWithVariants([REDACTED])",
            Keys::Ring(_) => "Keys::Ring([REDACTED])",
        })
    }
}

/// Values the token must carry.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expectations<'a> {
    pub sub: Option<&'a str>,
    pub app_code: Option<&'a str>,
    pub kid: Option<&'a str>,
}

/// How to judge.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Unix seconds.
    pub now: i64,
    /// Seconds of clock skew allowed for `exp`, `nbf` and `iat`.
    pub leeway: i64,
    pub keys: Keys<'a>,
    pub expect: Expectations<'a>,
    pub require_signature: bool,
    pub sdk: SdkSelection,
}

impl Options<'_> {
    /// Judging at `now` with no key, no expectations, both SDKs.
    pub fn at(now: i64) -> Options<'static> {
        Options {
            now,
            leeway: 0,
            keys: Keys::None,
            expect: Expectations::default(),
            require_signature: false,
            sdk: SdkSelection::BOTH,
        }
    }
}

/// The outcome of one server-side step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    Skip,
}

/// One named server-side step and what came of it, for the human report.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub name: &'static str,
    pub outcome: Outcome,
    /// Mostly fixed phrases; `Cow` keeps the passing steps free of allocations.
    pub detail: Cow<'static, str>,
}

/// Everything found about one token; rendered as text or JSON elsewhere.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub header: Option<Members>,
    pub claims: Option<Members>,
    /// Each emulated SDK's verdict (`None` for an SDK not emulated).
    pub sdk: PerPlatform<Option<SdkVerdict>>,
    pub steps: Vec<Step>,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Warning>,
    /// True only when a key verified the HMAC.
    pub verified: bool,
}

impl Report {
    pub fn valid(&self) -> bool {
        self.problems.is_empty()
    }

    /// 0, or the lowest problem exit code (10–14).
    pub fn exit_code(&self) -> u8 {
        worst_exit(&self.problems).unwrap_or(0)
    }

    /// The problem the sandbox answers with: the lowest [`Code::precedence`], first found
    /// among equals.
    pub fn primary_problem(&self) -> Option<&Problem> {
        self.problems.iter().min_by_key(|p| p.code.precedence())
    }

    fn step(&mut self, name: &'static str, outcome: Outcome, detail: impl Into<Cow<'static, str>>) {
        self.steps.push(Step {
            name,
            outcome,
            detail: detail.into(),
        });
    }

    fn fail(&mut self, name: &'static str, code: Code, source: Source, message: impl Into<String>) {
        let message: String = message.into();
        self.step(name, Outcome::Fail, message.clone());
        self.problems.push(Problem::new(code, source, message));
    }
}

/// Judges `token` (already stripped of whitespace and any `Bearer ` prefix).
pub fn check(token: &str, opts: &Options<'_>) -> Report {
    let mut r = Report::default();
    if token.len() > MAX_TOKEN_BYTES {
        r.fail(
            "size",
            Code::TokenTooLarge,
            Source::Server,
            format!(
                "the token is {} bytes; tokens over {MAX_TOKEN_BYTES} bytes are refused before decoding",
                token.len()
            ),
        );
        return r;
    }
    // Most reports have about twenty steps: one allocation instead of a growing vector's five.
    r.steps.reserve(24);
    let segments = three_segments(token);
    let clean = server_checks(token, segments, opts, &mut r);
    // The server layer ran first so the SDK emulations can reuse its clean parses; their
    // problems still come first in the report.
    let parsed = match segments {
        Ok([h, p, _]) => sdk::Parsed {
            header: clean
                .header
                .then(|| r.header.as_ref().map(|m| (h, m)))
                .flatten(),
            payload: clean
                .payload
                .then(|| r.claims.as_ref().map(|m| (p, m)))
                .flatten(),
        },
        Err(_) => sdk::Parsed::default(),
    };
    let mut sdk_problems = Vec::new();
    for platform in opts.sdk.iter() {
        let (v, source) = match platform {
            Platform::Android => {
                let analysis = sdk::android::analyse(token, opts.now, &parsed);
                if let Some((part, depth)) = analysis.stack_risk() {
                    r.warnings.push(stack_risk_warning(part, depth));
                }
                (analysis.verdict, Source::Android)
            }
            Platform::Ios => (
                sdk::ios::validate_parsed(token, opts.now, &parsed),
                Source::Ios,
            ),
        };
        push_sdk_problem(&mut sdk_problems, &v, source);
        r.sdk[platform] = Some(v);
    }
    r.problems.splice(0..0, sdk_problems);
    if let Some(claims) = &r.claims {
        let found = pitfalls::time_warnings(claims);
        r.warnings.extend(found);
    }
    let found = pitfalls::library_warnings(r.header.as_ref(), r.claims.as_ref());
    r.warnings.extend(found);
    r
}

/// [`check`] of `input.token`, plus `AS_GIVEN_REFUSED` when `raw` (what the app would pass
/// the SDK, before cleaning) gets a different SDK refusal than the cleaned token, and
/// `EMPTY_TOKEN_CLEARS` when `raw` is empty.
pub fn check_input(raw: &str, input: &super::Input, opts: &Options<'_>) -> Report {
    let mut r = check(&input.token, opts);
    if raw != input.token {
        let found = pitfalls::as_given(raw, &r.sdk, &input.notes, opts.now, opts.sdk);
        r.warnings.extend(found);
    }
    r.warnings.extend(pitfalls::empty_token(raw));
    r
}

/// Which segments decoded canonically and parsed strictly with unique names.
#[derive(Debug, Default, Clone, Copy)]
struct Clean {
    header: bool,
    payload: bool,
}

/// The verdict shown for Android assumes the parse finishes; on a device it may not.
fn stack_risk_warning(part: &str, depth: usize) -> Warning {
    Warning::new(
        Warn::AndroidStackRisk,
        format!(
            "the {part} nests {depth} levels deep; Android's org.json recurses once per level and has no limit of its own, so on a device the calling thread may die of StackOverflowError instead of getting the Android verdict shown; keep headers and payloads flat (real tokens nest 1 or 2 levels)"
        ),
    )
}

fn push_sdk_problem(problems: &mut Vec<Problem>, v: &SdkVerdict, source: Source) {
    if let (Some(code), Some(message)) = (v.code, &v.message) {
        problems.push(Problem::new(code, source, message.clone()));
    }
}

/// The three dot-separated segments, or how many segments there are instead.
fn three_segments(token: &str) -> Result<[&str; 3], usize> {
    let mut dots = memchr::memchr_iter(b'.', token.as_bytes());
    match (dots.next(), dots.next(), dots.next()) {
        // Dots are ASCII, so these bounds are character boundaries.
        (Some(a), Some(b), None) => Ok([&token[..a], &token[a + 1..b], &token[b + 1..]]),
        _ => Err(memchr::memchr_iter(b'.', token.as_bytes()).count() + 1),
    }
}

fn server_checks(
    token: &str,
    segments: Result<[&str; 3], usize>,
    opts: &Options<'_>,
    r: &mut Report,
) -> Clean {
    let segments = match segments {
        Ok(s) => s,
        Err(n) => {
            r.fail(
                "segments",
                Code::StructureInvalid,
                Source::Server,
                format!(
                    "the token has {n} dot-separated segment{}; a JWS has exactly 3",
                    if n == 1 { "" } else { "s" }
                ),
            );
            return Clean::default();
        }
    };
    r.step("segments", Outcome::Pass, "3 segments");
    let (header, header_clean) = decode_segment(r, "header", segments[0]);
    let (payload, payload_clean) = decode_segment(r, "payload", segments[1]);
    let signature = decode_signature(r, segments[2]);

    let alg_ok = match &header {
        Some(h) => header_checks(r, h, opts),
        None => false,
    };
    if let Some(p) = &payload {
        claim_checks(r, p, opts);
    }
    let kid = header
        .as_ref()
        .and_then(|h| h.members.get("kid"))
        .and_then(Value::as_str);
    let signing_input = &token[..segments[0].len() + 1 + segments[1].len()];
    signature_check(
        r,
        opts,
        alg_ok,
        kid,
        signing_input.as_bytes(),
        signature.as_deref(),
    );
    expectation_checks(r, opts, header.as_ref(), payload.as_ref());
    r.header = header.map(|h| h.members);
    r.claims = payload.map(|p| p.members);
    Clean {
        header: header_clean,
        payload: payload_clean,
    }
}

/// Decodes a header or payload segment; reports non-canonical encoding, bad JSON and duplicate
/// names. Returns the object when there is one to look at, and whether the segment was clean
/// (canonical, strict, unique names).
fn decode_segment(
    r: &mut Report,
    part: &'static str,
    segment: &str,
) -> (Option<StrictObject>, bool) {
    let name = if part == "header" {
        "header encoding"
    } else {
        "payload encoding"
    };
    if segment.is_empty() {
        r.fail(
            name,
            Code::StructureInvalid,
            Source::Server,
            format!("the {part} segment is empty"),
        );
        return (None, false);
    }
    let Some((bytes, deviations)) = b64::decode_lenient(segment) else {
        r.fail(
            name,
            Code::StructureInvalid,
            Source::Server,
            format!("the {part} segment is not base64url"),
        );
        return (None, false);
    };
    if let Some(w) = pitfalls::not_utf8(part, &bytes) {
        r.warnings.push(w);
    }
    let canonical = deviations.is_empty();
    if canonical {
        r.step(name, Outcome::Pass, "canonical base64url");
    } else {
        let what: Vec<&str> = deviations.iter().map(|d| d.describe()).collect();
        r.fail(
            name,
            Code::NotCanonicalBase64url,
            Source::Server,
            format!(
                "the {part} segment is not canonical base64url: it has {}",
                what.join(", ")
            ),
        );
    }
    let json_name = if part == "header" {
        "header JSON"
    } else {
        "payload JSON"
    };
    match parse_object(&bytes) {
        Ok(obj) => {
            if obj.duplicates.is_empty() {
                r.step(json_name, Outcome::Pass, "a JSON object");
            } else {
                let names: Vec<String> =
                    obj.duplicates.iter().map(|d| format!("\"{d}\"")).collect();
                r.fail(
                    json_name,
                    Code::DuplicateMember,
                    Source::Server,
                    format!("the {part} names {} more than once", names.join(", ")),
                );
            }
            let clean = canonical && obj.duplicates.is_empty();
            (Some(obj), clean)
        }
        Err(e) => {
            r.fail(
                json_name,
                Code::StructureInvalid,
                Source::Server,
                format!("the {part} is {e}"),
            );
            (None, false)
        }
    }
}

fn decode_signature(r: &mut Report, segment: &str) -> Option<Vec<u8>> {
    if segment.is_empty() {
        r.step(
            "signature encoding",
            Outcome::Pass,
            "empty signature segment",
        );
        return Some(Vec::new());
    }
    match b64::decode_lenient(segment) {
        None => {
            r.fail(
                "signature encoding",
                Code::StructureInvalid,
                Source::Server,
                "the signature segment is not base64url",
            );
            None
        }
        Some((bytes, deviations)) => {
            if deviations.is_empty() {
                r.step("signature encoding", Outcome::Pass, "canonical base64url");
            } else {
                let what: Vec<&str> = deviations.iter().map(|d| d.describe()).collect();
                r.fail(
                    "signature encoding",
                    Code::NotCanonicalBase64url,
                    Source::Server,
                    format!(
                        "the signature segment is not canonical base64url: it has {}",
                        what.join(", ")
                    ),
                );
            }
            Some(bytes)
        }
    }
}

/// Returns whether `alg` is exactly HS256 (so the signature may be checked).
fn header_checks(r: &mut Report, h: &StrictObject, _opts: &Options<'_>) -> bool {
    let m = &h.members;
    for name in MANDATORY_HEADERS {
        if !m.contains_key(name) {
            r.fail(
                "header members",
                Code::StructureInvalid,
                Source::Server,
                format!("the header is missing mandatory member {name}"),
            );
        }
    }
    let alg_ok = match m.get("alg") {
        None => false,
        Some(Value::String(s)) if s == "HS256" => {
            r.step("alg", Outcome::Pass, "HS256");
            true
        }
        Some(Value::String(s)) => {
            r.fail(
                "alg",
                Code::AlgNotAllowed,
                Source::Server,
                format!("alg is {}; only HS256 is allowed", Value::String(s.clone())),
            );
            false
        }
        Some(other) => {
            r.fail(
                "alg",
                Code::AlgNotAllowed,
                Source::Server,
                format!(
                    "alg is {}; only the string \"HS256\" is allowed",
                    kind_of(other)
                ),
            );
            false
        }
    };
    match m.get("typ") {
        None => {}
        Some(Value::String(s)) if s == "JWT" => r.step("header typ", Outcome::Pass, "JWT"),
        Some(other) => r.fail(
            "header typ",
            Code::HeaderTypInvalid,
            Source::Server,
            format!("the header typ is {}; it must be \"JWT\"", short(other)),
        ),
    }
    string_member(r, "kid", "the header kid", m.get("kid"));
    if m.contains_key("crit") {
        r.fail(
            "crit",
            Code::CritUnsupported,
            Source::Server,
            "the header has crit; no JWS extension is understood, so the token must be refused",
        );
    }
    for name in ["jku", "x5u", "jwk", "x5c"] {
        if m.contains_key(name) {
            r.warnings.push(Warning::new(
                Warn::KeyReferenceIgnored,
                format!(
                    "the header has {name}; it is ignored (keys are never fetched or taken from a token)"
                ),
            ));
        }
    }
    alg_ok
}

/// A member that must be a non-empty string (kid, sub, infobip-api-key, jti).
fn string_member(r: &mut Report, step: &'static str, what: &str, v: Option<&Value>) {
    match v {
        None => {}
        Some(Value::String(s)) if s.is_empty() => {
            r.fail(
                step,
                Code::ClaimEmpty,
                Source::Server,
                format!("{what} is an empty string"),
            );
        }
        Some(Value::String(_)) => r.step(step, Outcome::Pass, "a non-empty string"),
        Some(other) => r.fail(
            step,
            Code::ClaimTypeInvalid,
            Source::Server,
            format!("{what} must be a string, found {}", kind_of(other)),
        ),
    }
}

/// Reads a NumericDate: integers only (floats, strings, null and friends are refused).
fn numeric_date(r: &mut Report, step: &'static str, name: &str, v: Option<&Value>) -> Option<i64> {
    let v = v?;
    if let Some(n) = v.as_i64() {
        return Some(n);
    }
    let found = match v {
        Value::Number(n) if n.is_f64() => format!("the non-integer number {n}"),
        Value::Number(_) => "an integer too large for a date".to_string(),
        other => kind_of(other).to_string(),
    };
    r.fail(
        step,
        Code::ClaimTypeInvalid,
        Source::Server,
        format!("{name} must be an integer number of seconds, found {found}"),
    );
    None
}

/// A non-negative span of seconds, saturating (dates in tokens can be anything).
fn seconds(span: i128) -> u64 {
    u64::try_from(span.max(0)).unwrap_or(u64::MAX)
}

fn claim_checks(r: &mut Report, p: &StrictObject, opts: &Options<'_>) {
    let m = &p.members;
    for name in MANDATORY_CLAIMS {
        if !m.contains_key(name) {
            r.fail(
                "claims present",
                Code::StructureInvalid,
                Source::Server,
                format!("the payload is missing mandatory claim {name}"),
            );
        }
    }
    match m.get("typ") {
        None => {}
        Some(Value::String(s)) if s == "Bearer" => r.step("claim typ", Outcome::Pass, "Bearer"),
        Some(Value::String(s)) => r.fail(
            "claim typ",
            Code::TypNotBearer,
            Source::Server,
            format!(
                "the claim typ is {}; it must be \"Bearer\"",
                Value::String(s.clone())
            ),
        ),
        Some(other) => r.fail(
            "claim typ",
            Code::ClaimTypeInvalid,
            Source::Server,
            format!(
                "the claim typ must be the string \"Bearer\", found {}",
                kind_of(other)
            ),
        ),
    }
    string_member(r, "sub", "sub", m.get("sub"));
    string_member(
        r,
        "infobip-api-key",
        "infobip-api-key",
        m.get("infobip-api-key"),
    );
    string_member(r, "jti", "jti", m.get("jti"));

    let now = i128::from(opts.now);
    let iat = numeric_date(r, "iat", "iat", m.get("iat"));
    let exp = numeric_date(r, "exp", "exp", m.get("exp"));
    let nbf = numeric_date(r, "nbf", "nbf", m.get("nbf"));
    let found = TimeFindings::of(iat, exp, nbf, opts.now, opts.leeway);
    if let Some(iat) = iat {
        if found.iat_in_future {
            r.fail(
                "iat",
                Code::IatInFuture,
                Source::Server,
                format!(
                    "iat is {} in the future",
                    crate::time::human_duration(seconds(i128::from(iat) - now))
                ),
            );
        } else {
            r.step("iat", Outcome::Pass, "not in the future");
        }
    }
    if let Some(exp) = exp {
        if found.expired {
            r.fail(
                "exp",
                Code::Expired,
                Source::Server,
                format!(
                    "the token expired {} ago",
                    crate::time::human_duration(seconds(now - i128::from(exp)))
                ),
            );
        } else {
            r.step("exp", Outcome::Pass, "after now");
        }
        if found.exp_not_after_iat {
            r.fail(
                "exp after iat",
                Code::ExpBeforeIat,
                Source::Server,
                "exp is not after iat",
            );
        }
    }
    if nbf.is_some() {
        if found.not_yet_valid {
            r.fail(
                "nbf",
                Code::NotYetValid,
                Source::Server,
                "nbf is in the future: the token is not valid yet",
            );
        } else {
            r.step("nbf", Outcome::Pass, "reached");
        }
    }
    if m.contains_key("aud") {
        r.warnings.push(Warning::new(
            Warn::AudNotChecked,
            "the payload has aud; Infobip's profile has none and it is not checked",
        ));
    }
    if let (Some(Value::String(iss)), Some(Value::String(app))) =
        (m.get("iss"), m.get("infobip-api-key"))
        && iss != app
    {
        r.warnings.push(Warning::new(
            Warn::IssDiffers,
            "iss differs from infobip-api-key (the official examples set both to the application code)",
        ));
    }
}

fn signature_check(
    r: &mut Report,
    opts: &Options<'_>,
    alg_ok: bool,
    kid: Option<&str>,
    signing_input: &[u8],
    signature: Option<&[u8]>,
) {
    let Some(signature) = signature else {
        r.step(
            "signature",
            Outcome::Skip,
            "not checked: the signature segment is not base64url",
        );
        return;
    };
    if !alg_ok {
        r.step("signature", Outcome::Skip, "not checked: alg is not HS256");
        return;
    }
    // A tag of the wrong length can never verify, whatever the key (RFC 7518 §3.2).
    if signature.len() != 32 {
        r.fail(
            "signature",
            Code::SignatureInvalid,
            Source::Signature,
            format!(
                "the signature is {} bytes; an HS256 signature is 32",
                signature.len()
            ),
        );
        return;
    }
    let (key, variants) = match opts.keys {
        Keys::None => {
            if opts.require_signature {
                r.fail(
                    "signature",
                    Code::SignatureNotVerified,
                    Source::Signature,
                    "no secret was given, so the signature was not verified",
                );
            } else {
                r.step("signature", Outcome::Skip, "NOT verified: no secret given");
            }
            return;
        }
        Keys::Single(k) => (k, None),
        Keys::SingleWithVariants(k, v) => (k, Some(v)),
        Keys::Ring(ring) => match kid.and_then(|k| ring.key_for(k)) {
            Some(k) => (k, kid.and_then(|kid| ring.variants_for(kid))),
            None => {
                r.fail(
                    "signature",
                    Code::KidUnknown,
                    Source::Signature,
                    "no configured key has this kid",
                );
                return;
            }
        },
    };
    if key.verify(signing_input, signature) {
        r.verified = true;
        r.step("signature", Outcome::Pass, "HMAC-SHA256 verified");
    } else {
        // Only a failed signature pays for trying the mistaken keys.
        match variants.and_then(|v| v.diagnose(signing_input, signature)) {
            Some(misuse) => {
                r.fail(
                    "signature",
                    Code::SignatureInvalid,
                    Source::Signature,
                    misuse.problem_message(),
                );
                r.warnings.push(misuse.warning());
            }
            None => r.fail(
                "signature",
                Code::SignatureInvalid,
                Source::Signature,
                "the HMAC-SHA256 signature does not match the secret",
            ),
        }
    }
}

fn expectation_checks(
    r: &mut Report,
    opts: &Options<'_>,
    header: Option<&StrictObject>,
    payload: Option<&StrictObject>,
) {
    fn get<'o>(o: Option<&'o StrictObject>, k: &str) -> Option<&'o str> {
        o.and_then(|o| o.members.get(k)).and_then(Value::as_str)
    }
    let cases = [
        (
            "expected sub",
            opts.expect.sub,
            get(payload, "sub"),
            Code::SubMismatch,
            "sub",
        ),
        (
            "expected app code",
            opts.expect.app_code,
            get(payload, "infobip-api-key"),
            Code::AppCodeMismatch,
            "infobip-api-key",
        ),
        (
            "expected kid",
            opts.expect.kid,
            get(header, "kid"),
            Code::KidMismatch,
            "kid",
        ),
    ];
    for (step, expected, actual, code, what) in cases {
        let Some(expected) = expected else { continue };
        match actual {
            Some(a) if a == expected => r.step(step, Outcome::Pass, "as expected"),
            Some(a) => r.fail(
                step,
                code,
                Source::Expectation,
                format!(
                    "{what} is {} but {} was expected",
                    quote(a),
                    quote(expected)
                ),
            ),
            None => r.fail(
                step,
                code,
                Source::Expectation,
                format!(
                    "{what} is not a readable string, so it cannot equal {}",
                    quote(expected)
                ),
            ),
        }
    }
}

fn quote(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

/// A value for a message, cut short so a hostile token cannot flood the report.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_saturate_instead_of_wrapping() {
        assert_eq!(seconds(-5), 0);
        assert_eq!(seconds(90), 90);
        assert_eq!(seconds(i128::MAX), u64::MAX);
    }

    #[test]
    fn expiry_message_says_how_long_ago() {
        let token = crate::token::mint::Minter::new("k", HmacKey::new(b"k"))
            .mint(&crate::token::mint::Claims {
                sub: "u",
                app_code: "a",
                iat: 1_000,
                exp: 1_060,
                jti: "j",
                iss: None,
                extra: &[],
            })
            .0;
        let r = check(&token, &Options::at(1_060 + 3 * 3600));
        let msg = &r
            .problems
            .iter()
            .find(|p| p.source == Source::Server)
            .unwrap()
            .message;
        assert_eq!(msg, "the token expired 3h ago");
    }
}
